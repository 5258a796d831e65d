"""Checks one HTTP exchange against the vendor's own OpenAPI operation (item 2 of issue 13).

An exchange is judged twice: the request against the operation's parameters and request body, the
response against the schema the spec gives for its status and media type. Where the vendor's spec
is wrong or silent, `exceptions.DEVIATIONS` says what the real server sends instead; a deviation is
consulted only when the spec alone rejects the response, so the table cannot hide anything else.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .exceptions import DEVIATIONS, KNOWN_BUGS, Deviation
from .specs import SPECS, load

FORMATS = FormatChecker()
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1), "uint64": (0, 2**64 - 1)}
for _name, (_low, _high) in _INT_RANGES.items():
    FORMATS.checks(_name)(lambda value, low=_low, high=_high: not isinstance(value, int) or low <= value <= high)
if not {"date-time", "uuid"} <= set(FORMATS.checkers):
    raise ImportError("date-time and uuid format checks need the `test` extra (jsonschema, rfc3339-validator)")

MAX_ERRORS = 3


@dataclass
class Exchange:
    """One request and its response, as a test sent and received them."""
    vendor: str
    method: str
    path: str  # the URL path as sent, including the vendor's prefix (/v1.3/...)
    query: list[tuple[str, str]]
    request_headers: dict[str, str]  # lower-case names
    request_body: bytes
    status: int
    content_type: str
    body: bytes
    source: str = "test-client"
    spec: str = ""  # which spec judges it (SPECS key); the vendor's current one if empty

    @property
    def spec_name(self) -> str:
        return self.spec or self.vendor

    def describe(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.query)
        return f"{self.method} {self.path}{'?' + query if query else ''} -> {self.status} ({self.source})"


@dataclass(frozen=True)
class Operation:
    vendor: str
    method: str
    template: str
    pointer: str  # JSON pointer to the operation object in the spec
    spec: dict[str, Any] = field(compare=False, repr=False)
    parameters: tuple[tuple[str, dict[str, Any]], ...] = field(compare=False, repr=False)  # (pointer, parameter)


def mimetype(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("([^/]+)" if p.startswith("{") else re.escape(p) for p in parts))


def _brief(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class Oracle:
    """One vendor spec: operations by method and concrete path, validators by pointer."""

    def __init__(self, name: str, deviations: tuple[Deviation, ...] = DEVIATIONS + KNOWN_BUGS) -> None:
        self.name = name
        self.vendor = SPECS[name].vendor
        self.prefix = SPECS[name].prefix
        self.document = load(name)
        self.uri = f"urn:vendorspec:{name}"
        self.registry = Registry().with_resource(
            self.uri, Resource.from_contents(self.document, default_specification=DRAFT202012))
        self.deviations = tuple(d for d in deviations if d.vendor == self.vendor)
        self._validators: dict[str, Draft202012Validator] = {}

    # --- operations ------------------------------------------------------------------------------

    @cached_property
    def _routes(self) -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
        routes = [(_template_regex(t), t, item) for t, item in self.document["paths"].items()]
        # Literal segments win over templated ones: /checkpoint/sync before /{x}/{y}.
        return sorted(routes, key=lambda r: (r[1].count("{"), -len(r[1])))

    def operation(self, method: str, path: str) -> Operation | None:
        if not path.startswith(self.prefix):
            return None
        relative = path[len(self.prefix):] or "/"
        for regex, template, item in self._routes:
            spec = item.get(method.lower())
            if regex.fullmatch(relative) and isinstance(spec, dict):
                pointer = f"/paths/{_escape(template)}/{method.lower()}"
                shared = [(f"/paths/{_escape(template)}/parameters/{i}", p)
                          for i, p in enumerate(item.get("parameters", []))]
                own = [(f"{pointer}/parameters/{i}", p) for i, p in enumerate(spec.get("parameters", []))]
                names = {(p["name"], p["in"]) for _, p in own}
                merged = [x for x in shared if (x[1]["name"], x[1]["in"]) not in names] + own
                return Operation(self.vendor, method.upper(), template, pointer, spec, tuple(merged))
        return None

    # --- schemas ---------------------------------------------------------------------------------

    def validator(self, schema: str | dict[str, Any]) -> Draft202012Validator:
        """A validator for a JSON pointer into the spec, a component name, or an inline schema."""
        key = schema if isinstance(schema, str) else json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            if isinstance(schema, str):
                pointer = schema if schema.startswith("/") else f"/components/schemas/{schema}"
                schema = {"$ref": f"{self.uri}#{pointer}"}
            self._validators[key] = Draft202012Validator(schema, registry=self.registry, format_checker=FORMATS)
        return self._validators[key]

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The schema a `$ref` (or a one-element allOf) stands for, for type decisions."""
        resolver = self.registry.resolver(self.uri)
        while True:
            if "$ref" in schema:
                schema = resolver.lookup(schema["$ref"]).contents
            elif len(schema.get("allOf", ())) == 1 and "type" not in schema:
                schema = schema["allOf"][0]
            else:
                return schema

    def schema_problems(self, schema: str | dict[str, Any], instance: Any, where: str) -> list[str]:
        errors = sorted(self.validator(schema).iter_errors(instance), key=lambda e: e.json_path)
        problems = [f"{where} {e.json_path}: {_brief(e.message, 300)}" for e in errors[:MAX_ERRORS]]
        if len(errors) > MAX_ERRORS:
            problems.append(f"{where}: {len(errors) - MAX_ERRORS} more schema errors")
        return problems

    # --- requests --------------------------------------------------------------------------------

    def _parameter_value(self, parameter: dict[str, Any], values: list[str]) -> Any:
        schema = self.resolve(parameter.get("schema") or {})
        if schema.get("type") == "array":
            item = self.resolve(schema.get("items") or {})
            return [_coerce(v, item) for v in values]
        return _coerce(values[-1], schema)

    def request_problems(self, exchange: Exchange) -> list[str]:
        operation = self.operation(exchange.method, exchange.path)
        if operation is None:
            return [f"{exchange.method} {exchange.path}: no such operation in the {self.name} spec"]
        problems: list[str] = []
        relative = exchange.path[len(self.prefix):]
        path_values = dict(zip(re.findall(r"\{([^}]+)\}", operation.template),
                               _path_values(operation.template, relative), strict=False))
        for pointer, parameter in operation.parameters:
            name, place = parameter["name"], parameter["in"]
            if place == "query":
                values = [v for k, v in exchange.query if k == name]
            elif place == "header":
                if name.lower() in ("accept", "content-type", "authorization"):
                    continue  # OpenAPI: described elsewhere, ignored as parameters
                value = exchange.request_headers.get(name.lower())
                values = [] if value is None else [value]
            elif place == "path":
                values = [path_values[name]] if name in path_values else []
            else:
                continue
            if not values:
                if parameter.get("required"):
                    problems.append(f"request {place} parameter {name!r} is required")
                continue
            if "schema" in parameter:
                problems += self.schema_problems(f"{pointer}/schema", self._parameter_value(parameter, values),
                                                 f"request {place} parameter {name!r}")
        problems += self._request_body_problems(operation, exchange)
        return problems

    def _request_body_problems(self, operation: Operation, exchange: Exchange) -> list[str]:
        declared = operation.spec.get("requestBody")
        if not exchange.request_body:
            return ["request body is required"] if declared and declared.get("required") else []
        if not declared:
            return [f"request has a body ({len(exchange.request_body)} bytes) the operation does not take"]
        media = _media(declared.get("content") or {}, mimetype(exchange.request_headers.get("content-type")))
        if media is None:
            return [f"request content type {exchange.request_headers.get('content-type')!r} is not one of "
                    f"{sorted(declared.get('content') or {})}"]
        key, spec = media
        if "schema" not in spec or not _is_json(key):
            return []
        try:
            instance = json.loads(exchange.request_body)
        except ValueError:
            return ["request body is not JSON"]
        return self.schema_problems(f"{operation.pointer}/requestBody/content/{_escape(key)}/schema", instance,
                                    "request body")

    # --- responses -------------------------------------------------------------------------------

    def response_problems(self, exchange: Exchange) -> tuple[list[str], Deviation | None]:
        """Problems with the response, and the deviation that excused them (None if the spec held).

        A path the spec does not have is an invalid request (see request_problems); its answer must
        still be the vendor's ErrorResponse envelope."""
        operation = self.operation(exchange.method, exchange.path)
        if operation is None:
            method, template = exchange.method.upper(), None
            problems = self._body_problems("ErrorResponse", exchange.body, lines=False)
        else:
            method, template = operation.method, operation.template
            problems = self._against_spec(operation, exchange)
        if not problems:
            return [], None
        deviation = self.deviation_for(method, template, exchange)
        if deviation is None:
            return problems, None
        excused = self._against_deviation(deviation, exchange)
        if excused:
            return [*problems, f"and against the deviation {deviation.id!r}:", *excused], None
        return [], deviation

    def deviation_for(self, method: str, template: str | None, exchange: Exchange) -> Deviation | None:
        content_type = mimetype(exchange.content_type)
        return next((d for d in self.deviations
                     if d.matches(self.name, method, template, exchange.status, content_type)), None)

    def _against_spec(self, operation: Operation, exchange: Exchange) -> list[str]:
        responses = operation.spec.get("responses", {})
        status = str(exchange.status)
        key = status if status in responses else f"{status[0]}XX" if f"{status[0]}XX" in responses else "default"
        if key not in responses:
            return [f"status {status} is not documented for {operation.method} {operation.template} "
                    f"(documented: {', '.join(sorted(responses))})"]
        declared = responses[key].get("content") or {}
        if not declared:
            return [f"the spec declares no body for {status}, got {len(exchange.body)} bytes"] if exchange.body else []
        media = _media(declared, mimetype(exchange.content_type))
        if media is None:
            return [f"response content type {exchange.content_type!r} is not one of {sorted(declared)}"]
        name, spec = media
        if "schema" not in spec or not _is_json(name):
            return []
        return self._body_problems(f"{operation.pointer}/responses/{key}/content/{_escape(name)}/schema",
                                   exchange.body, lines=False)

    def _against_deviation(self, deviation: Deviation, exchange: Exchange) -> list[str]:
        if deviation.schema is None:
            return [f"the deviation allows no body, got {len(exchange.body)} bytes"] if exchange.body else []
        return self._body_problems(deviation.schema, exchange.body, lines=deviation.lines)

    def _body_problems(self, schema: str | dict[str, Any], body: bytes, *, lines: bool) -> list[str]:
        texts = body.decode("utf-8", "replace").splitlines() if lines else [body.decode("utf-8", "replace")]
        problems: list[str] = []
        for number, text in enumerate(texts, 1):
            where = f"response line {number}" if lines else "response body"
            try:
                instance = json.loads(text)
            except ValueError:
                problems.append(f"{where} is not JSON: {_brief(text)}")
                continue
            problems += self.schema_problems(schema, instance, where)
        return problems


def _path_values(template: str, relative: str) -> list[str]:
    match = _template_regex(template).fullmatch(relative)
    return list(match.groups()) if match else []


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    """A query or header string as the schema's type would carry it; left a string if it is not one."""
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    if kinds & {"integer", "number"} and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "number" in kinds and re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", value):
        return float(value)
    return value


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _media(content: dict[str, Any], actual: str) -> tuple[str, dict[str, Any]] | None:
    for candidate in (actual, f"{actual.split('/')[0]}/*", "*/*"):
        if candidate in content:
            return candidate, content[candidate]
    return None
