"""Scenario files: `yaml.safe_load`, then marshmallow, then each vendor's own rules.

Every problem is reported, each naming the file, the place in the document
(`resources[3].state`) and what is allowed there.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, validate

from ..kit.schema import StrictSchema
from .bulk import gc_paused
from .clock import MAX_SPEED
from .fields import (
    MAX_ID_LENGTH,
    BoundedNumber,
    Duration,
    FreeForm,
    Identifier,
    StrictBool,
    Timestamp,
    free_form_problem,
)
from .lifecycle import Lifecycle
from .model import VendorModel
from .timefmt import parse_duration, parse_timestamp
from .yamlload import bounded_safe_load

MAX_COUNTER = 2**53  # a counter's last value: ids stay exact in JSON clients' doubles


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


class ScenarioError(Exception):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.source}: {p.path or '(document)'}: {p.message}" for p in self.problems]

    def as_json(self) -> list[dict[str, str]]:
        return [{"source": self.source, "path": p.path, "message": p.message} for p in self.problems]


@dataclass
class ResourceSpec:
    vendor: str
    kind: str
    id: str
    state: str | None = None
    remaining: float | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    route: dict[str, str] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)  # deferred requests, e.g. a stop during INIT
    created: float | None = None  # virtual creation time (exports keep it; default: derived)
    # restore: exact (written by GET /_simulator/scenario): the entry is the engine's own record,
    # restored as it is, without the vendor's seeding; `entered` is when it entered its state.
    restore: str | None = None
    entered: float | None = None
    watched: bool = False


@dataclass
class Scenario:
    name: str
    description: str = ""
    source: str = "<scenario>"
    clock: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, dict[str, float]] = field(default_factory=dict)
    auth: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    resources: list[ResourceSpec] = field(default_factory=list)
    faults: list[dict[str, Any]] = field(default_factory=list)  # rules loaded by faults.RuleSchema
    isolation: str | None = None
    vendor_data: dict[str, dict[str, Any]] = field(default_factory=dict)  # only in exports
    counters: dict[str, int] = field(default_factory=dict)  # "vendor.counter" -> last value handed out

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "source": self.source,
            "resources": [
                {"vendor": r.vendor, "kind": r.kind, "id": r.id, "state": r.state} for r in self.resources
            ],
            "timing": sorted(self.timing),
            "auth": sorted(self.auth),
            "settings": sorted(self.settings),
            "faults": [rule.get("id") for rule in self.faults],
        }


# --- document schemas ---------------------------------------------------------------------------

class ClockSchema(StrictSchema):
    speed = BoundedNumber(0, MAX_SPEED, low_open=True, metadata={"description": "virtual seconds per real second"})
    frozen = StrictBool()
    now = Timestamp()


class ResourceSpecSchema(StrictSchema):
    vendor = fields.String(required=True)
    kind = fields.String(required=True)
    id = Identifier(required=True)
    state = fields.String()
    remaining = Duration()
    fields_ = FreeForm(data_key="fields")
    route = fields.Dict(keys=fields.String(), values=fields.String())
    timing = fields.Dict(keys=fields.String(), values=Duration())
    pending = fields.List(fields.String())
    created = Timestamp()
    entered = Timestamp()
    restore = fields.String(validate=validate.OneOf(["exact"]))
    watched = StrictBool()


class ScenarioSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String()
    clock = fields.Nested(ClockSchema)
    timing = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=Duration()))
    auth = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    settings = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    resources = fields.List(fields.Nested(ResourceSpecSchema))
    faults = fields.List(fields.Raw())
    isolation = fields.String(validate=validate.OneOf(["header", "credential"]))
    vendor_data = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String()))
    counters = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[^.]+\.[^.]+$")),
                           values=fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_COUNTER)))



# --- resource entries without marshmallow -------------------------------------------------------
# A scenario of 100 000 entries spends most of its load in marshmallow's per-field machinery. An
# entry made only of the plain shapes below is loaded here to exactly what ResourceSpecSchema gives;
# anything else (a wrong type, an unknown key, a bad duration) returns None and goes through the
# schema, which reports it in its own words.

def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(type(key) is str for key in value)


_DURATIONS: dict[tuple[type, Any], float] = {}  # "1d" -> 86400.0: scenarios repeat a few durations


def _duration(value: Any) -> float | None:
    if type(value) not in (str, int, float):
        return None  # not a duration: the schema says why
    key = (type(value), value)
    found = _DURATIONS.get(key)
    if found is None:
        try:
            found = parse_duration(value)
        except (ValueError, TypeError):
            return None
        if len(_DURATIONS) < 1024:
            _DURATIONS[key] = found
    return found


def _entry_id(value: Any) -> str | None:
    kind = type(value)
    if kind is str:
        return value if 0 < len(value) <= MAX_ID_LENGTH else None
    if kind is int and abs(value) < 10**18:
        return str(value)
    return None


def _quick_entry(entry: Any) -> dict[str, Any] | None:
    """ResourceSpecSchema().load(entry) for a plainly valid entry; None when the schema must decide."""
    if type(entry) is not dict or type(entry.get("vendor")) is not str or type(entry.get("kind")) is not str:
        return None
    loaded: dict[str, Any] = {"vendor": entry["vendor"], "kind": entry["kind"]}
    for key, value in entry.items():
        if key in ("vendor", "kind"):
            continue
        if key == "id":
            value = _entry_id(value)
        elif key in ("state", "restore"):
            if type(value) is not str or (key == "restore" and value != "exact"):
                return None
        elif key == "remaining":
            value = _duration(value)
        elif key == "fields":
            if not _str_map(value) or free_form_problem(value) is not None:
                return None
            key, value = "fields_", dict(value)
        elif key == "route":
            if not _str_map(value) or not all(type(target) is str for target in value.values()):
                return None
            value = dict(value)
        elif key == "timing":
            if not _str_map(value):
                return None
            value = {state: _duration(seconds) for state, seconds in value.items()}
            if None in value.values():
                return None
        elif key == "pending":
            if type(value) is not list or not all(type(request) is str for request in value):
                return None
            value = list(value)
        elif key in ("created", "entered"):
            try:
                value = parse_timestamp(value) if type(value) is str else None
            except ValueError:
                return None
        elif key == "watched":
            if type(value) is not bool:
                return None
        else:
            return None  # unknown: the schema names it
        if value is None:
            return None
        loaded[key] = value
    return loaded if "id" in loaded else None


def _load_document(document: dict[str, Any]) -> dict[str, Any]:
    """ScenarioSchema().load(document), its resource entries loaded by `_quick_entry` where they can be.

    Raises ValidationError exactly as the schema would: any entry it refuses sends the whole document
    through the schema, so the problems and their order are the schema's own.
    """
    entries = document.get("resources")
    if type(entries) is not list:
        return ScenarioSchema().load(document)
    doc = ScenarioSchema().load({key: value for key, value in document.items() if key != "resources"})
    schema, loaded = None, []
    for entry in entries:
        spec = _quick_entry(entry)
        if spec is None:
            schema = schema or ResourceSpecSchema()
            try:
                spec = schema.load(entry)
            except ValidationError:
                return ScenarioSchema().load(document)
        loaded.append(spec)
    doc["resources"] = loaded
    return doc


def flatten_messages(messages: Any, path: str = "") -> list[Problem]:
    """marshmallow's nested error dict -> [Problem('resources[3].state', '...')]."""
    if isinstance(messages, dict):
        problems = []
        for key, value in messages.items():
            if key in ("_schema", "value"):  # "value": marshmallow's level for a Dict's values
                problems += flatten_messages(value, path)
                continue
            if key == "key":  # a Dict key that fails: report it at the mapping itself
                problems += [Problem(path, f"key: {p.message}") for p in flatten_messages(value, "")]
                continue
            if isinstance(key, int):
                sub = f"{path}[{key}]"
            else:
                sub = f"{path}.{key}" if path else str(key)
            problems += flatten_messages(value, sub)
        return problems
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return [Problem(path, m) for m in messages]
        return [p for m in messages for p in flatten_messages(m, path)]
    return [Problem(path, str(messages))]


def _allowed(values) -> str:
    return ", ".join(sorted(values)) or "(none)"


def _explain_unknown(problems: list[Problem], schema_fields: Mapping[str, list[str]]) -> list[Problem]:
    """Give 'Unknown field.' the list of allowed names for its place."""
    result = []
    for problem in problems:
        if problem.message == "Unknown field.":
            parent = problem.path.rsplit(".", 1)[0] if "." in problem.path else ""
            level = "resource" if parent.startswith("resources[") else parent.split("[")[0] or "document"
            allowed = schema_fields.get(level)
            if allowed:
                problem = Problem(problem.path, f"unknown field; allowed: {_allowed(allowed)}")
        result.append(problem)
    return result


_SCHEMA_FIELDS = {
    "document": ["name", "description", "clock", "timing", "auth", "settings", "resources", "faults", "isolation",
                 "vendor_data", "counters"],
    "clock": ["speed", "frozen", "now"],
    "resource": ["vendor", "kind", "id", "state", "remaining", "fields", "route", "timing", "pending", "created",
                 "entered", "restore", "watched"],
}


def _loaded_resources(document: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index in the document, loaded entry) for each resource entry that passes the schema."""
    entries = document.get("resources")
    loaded = []
    schema = ResourceSpecSchema()  # one instance for all entries: building a schema costs more than a load
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        try:
            loaded.append((index, schema.load(entry)))
        except ValidationError:
            continue  # the schema's own errors are reported already
    return loaded


def _timing_problem(lifecycle: Lifecycle, state: str, of: str = "") -> str | None:
    """Why a duration cannot be set for `state` (None: it can)."""
    derived = lifecycle.derived()
    overridable = _allowed(s for s in lifecycle.timed if s not in derived)
    if state in derived:
        return (f"{lifecycle.key} derives when {state} ends from {lifecycle.timed[state].due_from}, so it has "
                f"no duration to override; durations can be set for: {overridable}")
    if state not in lifecycle.timed:
        return f"not a timed state{of}; allowed: {overridable}"
    return None


def _vendor_problems(
    doc: dict[str, Any], resources: list[tuple[int, dict[str, Any]]], vendors: Mapping[str, VendorModel]
) -> list[Problem]:
    problems: list[Problem] = []
    lifecycles = {lc.key: lc for v in vendors.values() for lc in v.lifecycles}

    for key, table in (doc.get("timing") or {}).items():
        lifecycle = lifecycles.get(key)
        if lifecycle is None:
            problems.append(Problem(f"timing.{key}", f"unknown vendor.kind; allowed: {_allowed(lifecycles)}"))
            continue
        for state in table:
            problem = _timing_problem(lifecycle, state, of=f" of {key}")
            if problem is not None:
                problems.append(Problem(f"timing.{key}.{state}", problem))

    for section in ("auth", "settings"):
        for vendor_name, value in (doc.get(section) or {}).items():
            vendor = vendors.get(vendor_name)
            if vendor is None:
                problems.append(Problem(f"{section}.{vendor_name}", f"unknown vendor; allowed: {_allowed(vendors)}"))
                continue
            schema = vendor.auth_schema if section == "auth" else vendor.settings_schema
            if schema is None:
                problems.append(Problem(f"{section}.{vendor_name}", f"{vendor_name} takes no {section}"))
                continue
            try:
                schema().load(value if value is not None else {})
            except ValidationError as exc:
                problems += flatten_messages(exc.messages, f"{section}.{vendor_name}")

    entries = {(spec["vendor"], spec["kind"], spec["id"]) for _, spec in resources}
    for index, spec in resources:
        here = f"resources[{index}]"
        problems += _resource_problems(here, spec, vendors, lifecycles)
        if spec.get("restore") == "exact" and not any(p.path.startswith(here) for p in problems):
            problems += _exact_problems(here, spec, vendors, entries)
    return problems


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "mapping", list: "list", str: "string"}.get(type(value), type(value).__name__)


def _exact_problems(
    here: str, spec: dict[str, Any], vendors: Mapping[str, VendorModel], entries: set[tuple[str, str, str]]
) -> list[Problem]:
    """A `restore: exact` entry is the vendor's own record: it must hold every field that seeding the same
    kind gives a value (of the same JSON kind), and come with the companions seeding creates beside it."""
    from .footprint import footprint  # it seeds in a scratch Simulation, which imports this module

    found = footprint(vendors, spec["vendor"], spec["kind"], spec["id"])
    if found is None:
        return []
    problems = []
    given = spec.get("fields_") or {}
    missing = sorted(name for name, value in found.fields.items() if value is not None and name not in given)
    if missing:
        problems.append(Problem(f"{here}.fields", f"a restored {spec['vendor']}.{spec['kind']} record needs "
                                                  f"every field its seeding gives; missing: {', '.join(missing)}"))
    for name, expected in found.fields.items():
        if expected is not None and name in given and _json_kind(given[name]) != _json_kind(expected):
            problems.append(Problem(f"{here}.fields.{name}", f"a {_json_kind(expected)} in a restored record"))
    absent = [f"{spec['vendor']}.{kind} {spec['id']!r}" for kind in found.companions
              if (spec["vendor"], kind, spec["id"]) not in entries]
    if absent:
        problems.append(Problem(here, f"a restored {spec['vendor']}.{spec['kind']} comes with entries for "
                                      f"{', '.join(absent)} (seeding creates them together)"))
    return problems



_FIELDS_SCHEMAS: dict[tuple[str, str], Schema | None] = {}


def _fields_schema(vendor: VendorModel, kind: str) -> Schema | None:
    """The vendor's schema for a kind's `fields`, instantiated once (schemas keep no state between loads)."""
    key = (vendor.name, kind)
    if key not in _FIELDS_SCHEMAS:
        schema_class = vendor.fields_schemas.get(kind) if vendor.fields_schemas else None
        _FIELDS_SCHEMAS[key] = schema_class() if schema_class is not None else None
    return _FIELDS_SCHEMAS[key]


@dataclass(frozen=True)
class _KindRules:
    """What `_resource_problems` checks an entry of one lifecycle against, worked out once per lifecycle."""
    lifecycle: Lifecycle
    states: frozenset[str]
    states_text: str
    timed_text: str
    deferrable: frozenset[str]
    id_pattern: re.Pattern | None
    id_rule: str


_KIND_RULES: dict[int, _KindRules] = {}


def _kind_rules(vendor: VendorModel, lifecycle: Lifecycle) -> _KindRules:
    rules = _KIND_RULES.get(id(lifecycle))
    if rules is None or rules.lifecycle is not lifecycle:
        pattern = (vendor.id_patterns or {}).get(lifecycle.kind)
        rules = _KindRules(
            lifecycle=lifecycle, states=frozenset(lifecycle.states), states_text=", ".join(lifecycle.states),
            timed_text=_allowed(lifecycle.timed),
            deferrable=frozenset(request for t in lifecycle.timed.values() for request in t.redirects),
            id_pattern=re.compile(pattern[0]) if pattern is not None else None,
            id_rule=pattern[1] if pattern is not None else "",
        )
        _KIND_RULES[id(lifecycle)] = rules
    return rules


_SCALARS = (str, int, float, bool, type(None))
_FIELDS_VERDICTS: dict[tuple, list[Problem]] = {}  # flat `fields` -> the schema's problems
_HERE = "\0"  # stands for the entry's `fields` path in a remembered problem


def _fields_problems(schema: Schema, key: tuple[str, str], given: dict[str, Any]) -> list[Problem]:
    """The vendor schema's problems with `given`, remembered for flat mappings of scalars: a large
    scenario repeats the same few (`{toolType: SAST}`), and a schema's verdict depends on the data only."""
    memo = None
    if len(given) <= 8:
        parts: list[Any] = [key]
        for name, value in given.items():
            kind = type(value)
            if kind not in _SCALARS:
                break
            parts += (name, kind, value)
        else:
            memo = tuple(parts)
            found = _FIELDS_VERDICTS.get(memo)
            if found is not None:
                return found
    try:
        schema.load(given)
        found = []
    except ValidationError as exc:
        found = flatten_messages(exc.messages, _HERE)
    if memo is not None and len(_FIELDS_VERDICTS) < 4096:
        _FIELDS_VERDICTS[memo] = found
    return found


def _resource_problems(
    here: str, spec: dict[str, Any], vendors: Mapping[str, VendorModel], lifecycles: Mapping[str, Any]
) -> list[Problem]:
    problems: list[Problem] = []
    vendor = vendors.get(spec["vendor"])
    if vendor is None:
        return [Problem(f"{here}.vendor", f"unknown vendor {spec['vendor']!r}; allowed: {_allowed(vendors)}")]
    lifecycle = lifecycles.get(f"{spec['vendor']}.{spec['kind']}")
    if lifecycle is None:
        kinds = _allowed(lc.kind for lc in vendor.lifecycles)
        return [Problem(f"{here}.kind", f"unknown kind {spec['kind']!r} for {vendor.name}; allowed: {kinds}")]
    rules = _kind_rules(vendor, lifecycle)
    if rules.id_pattern is not None and not rules.id_pattern.fullmatch(spec["id"]):
        problems.append(Problem(f"{here}.id", f"{spec['id']!r} is not a valid {lifecycle.key} id: {rules.id_rule}"))
    state = spec.get("state")
    if state is not None and state not in rules.states:
        problems.append(Problem(f"{here}.state",
                                f"unknown state {state!r} for {lifecycle.key}; allowed: {rules.states_text}"))
    if "remaining" in spec and (state or lifecycle.initial) not in lifecycle.timed:
        message = f"state {state or lifecycle.initial!r} has no timer, so no time can remain in it"
        problems.append(Problem(f"{here}.remaining", message))
    for source, target in (spec.get("route") or {}).items():
        if source not in lifecycle.timed:
            problems.append(Problem(f"{here}.route.{source}", f"not a timed state; allowed: {rules.timed_text}"))
        if target not in rules.states:
            problems.append(Problem(f"{here}.route.{source}",
                                    f"unknown target state {target!r}; allowed: {rules.states_text}"))
    for timed_state in spec.get("timing") or {}:
        problem = _timing_problem(lifecycle, timed_state)
        if problem is not None:
            problems.append(Problem(f"{here}.timing.{timed_state}", problem))
    for request in spec.get("pending") or []:
        if request not in rules.deferrable:
            message = f"{request!r} cannot be pending; allowed: {_allowed(rules.deferrable)}"
            problems.append(Problem(f"{here}.pending", message))
    fields_schema = _fields_schema(vendor, spec["kind"])
    if fields_schema is not None and spec.get("restore") != "exact":
        found = _fields_problems(fields_schema, (vendor.name, spec["kind"]), spec.get("fields_") or {})
        problems += [Problem(p.path.replace(_HERE, f"{here}.fields", 1), p.message) for p in found]
    return problems


# The `faults` section belongs to the HTTP layer (simulator/traffic/faults.py): a caller that takes
# fault rules passes their check, entries -> (loaded rules, problems); the engine only carries them.
FaultCheck = Callable[[list], tuple[list[dict[str, Any]], list[Problem]]]


def _fault_problems(document: dict[str, Any], check: FaultCheck | None) -> tuple[list[dict], list[Problem]]:
    entries = document.get("faults")
    if not isinstance(entries, list) or not entries:
        return [], []  # absent, empty, or not a list (the schema says so)
    if check is None:
        return [], [Problem("faults", "fault rules are not accepted here")]
    return check(entries)


def parse_scenario(
    document: Any,
    vendors: Mapping[str, VendorModel],
    source: str = "<scenario>",
    faults: FaultCheck | None = None,
) -> Scenario:
    with gc_paused():
        return _parse_scenario(document, vendors, source, faults)


def _parse_scenario(
    document: Any, vendors: Mapping[str, VendorModel], source: str, faults: FaultCheck | None
) -> Scenario:
    if not isinstance(document, dict):
        raise ScenarioError(source, [Problem("", "a scenario is a mapping with at least a 'name'")])
    try:
        doc = _load_document(document)
        problems = []
        resources = list(enumerate(doc.get("resources") or []))
    except ValidationError as exc:
        # Report the vendor-level problems of the parts that did load too, so one run shows all.
        doc = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        problems = _explain_unknown(flatten_messages(exc.messages), _SCHEMA_FIELDS)
        resources = _loaded_resources(document)
    problems += _vendor_problems(doc, resources, vendors)
    fault_rules, fault_problems = _fault_problems(document, faults)
    problems += fault_problems
    if problems:
        raise ScenarioError(source, problems)
    auth = {name: vendors[name].auth_schema().load(value or {}) for name, value in (doc.get("auth") or {}).items()}
    settings = {
        name: vendors[name].settings_schema().load(value or {}) for name, value in (doc.get("settings") or {}).items()
    }
    resources = [
        ResourceSpec(
            vendor=spec["vendor"],
            kind=spec["kind"],
            id=spec["id"],
            state=spec.get("state"),
            remaining=spec.get("remaining"),
            # the loaded entry's containers are its own already (the schema and _quick_entry copy)
            fields=spec.get("fields_") or {},
            route=spec.get("route") or {},
            timing=spec.get("timing") or {},
            pending=spec.get("pending") or [],
            created=spec.get("created"),
            restore=spec.get("restore"),
            entered=spec.get("entered"),
            watched=spec.get("watched", False),
        )
        for spec in doc.get("resources") or []
    ]
    return Scenario(
        name=doc["name"],
        description=doc.get("description", ""),
        source=source,
        clock=dict(doc.get("clock") or {}),
        timing={key: dict(value) for key, value in (doc.get("timing") or {}).items()},
        auth=auth,
        settings=settings,
        resources=resources,
        faults=fault_rules,
        isolation=doc.get("isolation"),
        vendor_data={key: dict(value) for key, value in (doc.get("vendor_data") or {}).items()},
        counters=dict(doc.get("counters") or {}),
    )


def parse_scenario_text(
    text: str, vendors: Mapping[str, VendorModel], source: str = "<scenario>", faults: FaultCheck | None = None
) -> Scenario:
    with gc_paused():  # one pause for reading and checking: none of what reading builds is garbage
        try:
            document = bounded_safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise ScenarioError(source, [Problem(where, f"not valid YAML: {problem}")]) from None
        except ValueError as exc:  # a value the safe constructor cannot build, e.g. an int of 5000 digits
            raise ScenarioError(source, [Problem("", f"not valid YAML: {exc}")]) from None
        return parse_scenario(document, vendors, source, faults)


def load_scenario_file(
    path: str | Path, vendors: Mapping[str, VendorModel], faults: FaultCheck | None = None
) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(str(path), [Problem("", f"cannot read the file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), [Problem("", f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
                                                    f"{exc.start}); save the file as UTF-8")]) from None
    return parse_scenario_text(text, vendors, source=str(path), faults=faults)


__all__ = [
    "Problem", "ResourceSpec", "Scenario", "ScenarioError",
    "load_scenario_file", "parse_scenario", "parse_scenario_text",
]
