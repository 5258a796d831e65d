"""`runtime_config` and `program_config` as the server checks and stores them (reference 4, 6.6).

The server deserializes both into its RuntimeConfig / ProgramConfig types and stores them again
with every default filled in. The rules here are the vendor spec's schemas for those two types
(config_schemas.json, `extract`ed from the 0.337 spec and checked against it by a test) read by a
small JSON-schema subset, plus what the spec cannot say, taken from the server source (marked).
A value that breaks a rule raises ConfigError naming the field; nothing is stored.
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SCHEMAS: dict[str, Any] = json.loads(Path(__file__).with_name("config_schemas.json").read_text())
ROOTS = ("RuntimeConfig", "ProgramConfig")
_DROPPED_KEYS = ("description", "example", "examples")

# From the server source (crates/feldera-types/src/config.rs, pipeline-manager/src/pipeline_env.rs):
# integer widths the spec rounds up, a default the spec leaves out, and reserved `env` names.
SERVER_MAXIMA = {("RuntimeConfig", "workers"): 2**16 - 1}  # u16
SERVER_DEFAULTS = {("FtConfig", "checkpoint_interval_secs"): 60}
RESERVED_ENV = ("HOSTNAME", "RUST_LOG", "TOKIO_WORKER_THREADS")
RESERVED_ENV_PREFIXES = ("FELDERA_", "KUBERNETES_", "TOKIO_")

# Integer limits the spec's formats imply: (format, unsigned) -> maximum. Unsigned fields are
# documented with `minimum: 0`; a field with no format is a Rust usize.
_MAXIMA = {("int32", False): 2**31 - 1, ("int32", True): 2**32 - 1, ("int64", False): 2**63 - 1,
           ("int64", True): 2**64 - 1, ("", False): 2**63 - 1, ("", True): 2**64 - 1}
_FORMATS = {
    "uuid": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    "date-time": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.IGNORECASE),
}


class ConfigError(Exception):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def extract(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The RuntimeConfig and ProgramConfig schemas of a vendor spec and all they refer to, prose removed."""
    schemas = spec["components"]["schemas"]
    found: dict[str, Any] = {}
    pending = list(ROOTS)
    while pending:
        name = pending.pop()
        if name not in found:
            found[name] = _without_prose(schemas[name])
            pending += re.findall(r'"#/components/schemas/(\w+)"', json.dumps(schemas[name]))
    return dict(sorted(found.items()))


def _without_prose(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_prose(v) for k, v in node.items() if k not in _DROPPED_KEYS}
    if isinstance(node, list):
        return [_without_prose(v) for v in node]
    return node


# --- checking and filling defaults ---------------------------------------------------------------

def _ref(schema: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
    """(schema name, schema) after following `$ref` and single-entry `allOf` wrappers."""
    name, nullable = None, False
    while True:
        nullable = nullable or bool(schema.get("nullable"))
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = SCHEMAS[name]
        elif len(schema.get("allOf", ())) == 1:
            schema = schema["allOf"][0]
        else:
            return name, {**schema, "nullable": True} if nullable else schema


def _describe(value: Any) -> str:
    kind = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}
    text = json.dumps(value)
    return f"{kind.get(type(value), 'null')} {text if len(text) <= 40 else text[:37] + '...'}"


def _branch(schema: Mapping[str, Any], value: Any, path: str) -> Mapping[str, Any]:
    """The `oneOf` alternative `value` follows (by its discriminator, else the first that fits)."""
    options = [_ref(option)[1] for option in schema["oneOf"]]
    key = (schema.get("discriminator") or {}).get("propertyName")
    if key is not None:
        if not isinstance(value, dict):
            raise ConfigError(path, f"invalid type: {_describe(value)}, expected an object with `{key}`")
        tags = [option["properties"][key]["enum"][0] for option in options]
        if value.get(key) not in tags:
            raise ConfigError(f"{path}.{key}", f"unknown variant {_describe(value.get(key))}, expected one of "
                                               + ", ".join(f"`{t}`" for t in tags))
        return options[tags.index(value[key])]
    first_error = None
    for option in options:
        try:
            _check(option, value, path, None)
            return option
        except ConfigError as error:
            first_error = first_error or error
    allowed = [v for option in options for v in option.get("enum", ())]
    if allowed and len(allowed) == sum(len(o.get("enum", ())) for o in options) and all("enum" in o for o in options):
        raise ConfigError(path, f"unknown variant {_describe(value)}, expected one of "
                                + ", ".join(f"`{v}`" for v in allowed))
    raise first_error


def _check(schema: Mapping[str, Any], value: Any, path: str, owner: tuple[str, str] | None) -> None:
    name, schema = _ref(schema)
    if value is None:
        if schema.get("nullable") or not schema.get("type") and "oneOf" not in schema:
            return
        raise ConfigError(path, "invalid type: null, expected a value")
    if "oneOf" in schema:
        _check(_branch(schema, value, path), value, path, None)
        return
    expected = schema.get("type")
    if expected == "object":
        _check_object(name, schema, value, path)
    elif expected == "array":
        if not isinstance(value, list):
            raise ConfigError(path, f"invalid type: {_describe(value)}, expected an array")
        for index, item in enumerate(value):
            _check(schema.get("items", {}), item, f"{path}[{index}]", None)
    elif expected in ("integer", "number"):
        _check_number(schema, value, path, owner)
    elif expected == "boolean" and not isinstance(value, bool):
        raise ConfigError(path, f"invalid type: {_describe(value)}, expected a boolean")
    elif expected == "string":
        if not isinstance(value, str):
            raise ConfigError(path, f"invalid type: {_describe(value)}, expected a string")
        pattern = _FORMATS.get(schema.get("format", ""))
        if pattern is not None and not pattern.fullmatch(value):
            raise ConfigError(path, f"invalid value: {_describe(value)}, expected a {schema['format']}")
    if "enum" in schema and value not in schema["enum"]:
        raise ConfigError(path, f"unknown variant {_describe(value)}, expected one of "
                                + ", ".join(f"`{v}`" for v in schema["enum"]))


def _check_object(name: str | None, schema: Mapping[str, Any], value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(path, f"invalid type: {_describe(value)}, expected an object")
    for field in schema.get("required", ()):
        if field not in value:
            raise ConfigError(f"{path}.{field}", "missing field")
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        if key in properties:
            _check(properties[key], item, f"{path}.{key}", (name or "", key))
        elif isinstance(extra, dict) and "type" in extra:
            _check(extra, item, f"{path}.{key}", None)
        # other unknown fields are ignored (and dropped on storing), as the server's serde does


def _check_number(schema: Mapping[str, Any], value: Any, path: str, owner: tuple[str, str] | None) -> None:
    integer = schema["type"] == "integer"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise ConfigError(path, f"invalid type: {_describe(value)}, expected {'an integer' if integer else 'a number'}")
    minimum = schema.get("minimum")
    maximum = integer_maximum(schema, owner) if integer else None
    if minimum is not None and value < minimum:
        raise ConfigError(path, f"invalid value: {_describe(value)}, expected an integer >= {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(path, f"invalid value: {_describe(value)}, expected an integer <= {maximum}")


def integer_maximum(schema: Mapping[str, Any], owner: tuple[str, str] | None = None) -> int:
    if owner in SERVER_MAXIMA:
        return SERVER_MAXIMA[owner]
    return _MAXIMA.get((schema.get("format", ""), schema.get("minimum") == 0), 2**63 - 1)


def documented(name: str) -> dict[str, Any]:
    """SCHEMAS[name] as openapi/feldera.yaml shows it: every integer with the maximum enforced here."""
    def annotate(node: Any, owner: tuple[str, str] | None) -> Any:
        if isinstance(node, list):
            return [annotate(item, None) for item in node]
        if not isinstance(node, dict):
            return node
        result = {key: annotate(value, None) for key, value in node.items() if key != "properties"}
        if "properties" in node:
            result["properties"] = {key: annotate(value, (name, key)) for key, value in node["properties"].items()}
        if node.get("type") == "integer":
            result["maximum"] = integer_maximum(node, owner)
        return result
    return annotate(SCHEMAS[name], None)


def _filled(schema: Mapping[str, Any], value: Any) -> Any:
    """`value` (already checked) as the server stores it: defaults filled in, unknown fields dropped."""
    name, schema = _ref(schema)
    if value is None:
        return None
    if "oneOf" in schema:
        return _filled(_branch(schema, value, ""), value)
    if schema.get("type") != "object" or not isinstance(value, dict):
        return copy.deepcopy(value)
    result = {}
    for key, prop in schema.get("properties", {}).items():
        if key in value:
            result[key] = _filled(prop, value[key])
        elif (name, key) in SERVER_DEFAULTS:
            result[key] = SERVER_DEFAULTS[(name, key)]
        elif key in schema.get("required", ()):
            continue
        else:
            result[key] = _filled(prop, copy.deepcopy(prop["default"])) if "default" in prop else None
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        result.update({k: copy.deepcopy(v) for k, v in value.items() if k not in result})
    return result


def normalized(root: str, value: Any) -> dict[str, Any]:
    """The stored form of a `runtime_config` / `program_config` (None or absent means all defaults)."""
    value = {} if value is None else value
    schema = {"$ref": f"#/components/schemas/{root}"}
    _check(schema, value, "", None)
    return _filled(schema, value)


def reserved_env(env: Mapping[str, str]) -> list[str]:
    """The reserved names among `env`'s keys, sorted as the server's BTreeMap lists them."""
    return sorted(key for key in env if key in RESERVED_ENV or key.startswith(RESERVED_ENV_PREFIXES))


DEFAULT_RUNTIME_CONFIG = normalized("RuntimeConfig", {})
DEFAULT_PROGRAM_CONFIG = normalized("ProgramConfig", {})
