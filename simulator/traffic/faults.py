"""Fault rules: which requests misbehave, when, and how. Vendor-agnostic data + evaluation.

A rule matches on vendor, operation (the operationId in openapi/<vendor>.yaml), resource id and
the resource's current state; a trigger decides which of the matching calls it fires on (every
call, the nth, the first n, a seeded probability, a window of virtual time); its effect is a
documented error status, a latency, or a transport fault (marked out of contract).
"""
from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from ..engine.fields import BoundedNumber, Duration
from ..engine.scenario import FaultCheck, Problem, flatten_messages
from ..engine.timefmt import parse_duration, parse_timestamp, rfc3339
from ..kit.schema import StrictSchema

TRANSPORT_FAULTS = ("reset", "empty")
MAX_COUNT = 10**9  # nth / first: a billion calls is beyond any test
ALL_CALLS = 2**53  # the upper bound of "every call": exact as a double, so Redis' Lua compares it as given
SEED_RANGE = validate.Range(min=-(2**63), max=2**63 - 1)  # a 64-bit seed, as the SDKs' own generators take
# operation id -> documented statuses, per vendor (from openapi/<vendor>.yaml)
Contract = Mapping[str, Mapping[str, frozenset[int]]]


# --- latency -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Latency:
    kind: str  # fixed | uniform | lognormal
    a: float  # fixed: seconds; uniform: low; lognormal: median
    b: float = 0.0  # uniform: high; lognormal: sigma

    def draw(self, rng: random.Random) -> float:
        if self.kind == "fixed":
            return self.a
        if self.kind == "uniform":
            return rng.uniform(self.a, self.b)
        return rng.lognormvariate(math.log(self.a), self.b) if self.a > 0 else 0.0

    def describe(self) -> dict[str, Any]:
        if self.kind == "fixed":
            return {"fixed": f"{self.a * 1000:g}ms"}
        if self.kind == "uniform":
            return {"uniform": [f"{self.a * 1000:g}ms", f"{self.b * 1000:g}ms"]}
        return {"lognormal": {"median": f"{self.a * 1000:g}ms", "sigma": self.b}}


class LognormalSchema(StrictSchema):
    median = Duration(required=True)
    sigma = BoundedNumber(0, 5, required=True)


class LatencySchema(StrictSchema):
    fixed = Duration()
    uniform = fields.List(Duration(), validate=validate.Length(equal=2))
    lognormal = fields.Nested(LognormalSchema)

    @validates_schema
    def _one_kind(self, data, **kwargs):
        if len(data) != 1:
            raise ValidationError("give exactly one of fixed, uniform, lognormal")
        if "uniform" in data and data["uniform"][0] > data["uniform"][1]:
            raise ValidationError("uniform: the low bound is above the high bound", "uniform")


def latency_from(data: dict[str, Any]) -> Latency:
    if "fixed" in data:
        return Latency("fixed", data["fixed"])
    if "uniform" in data:
        return Latency("uniform", *data["uniform"])
    return Latency("lognormal", data["lognormal"]["median"], data["lognormal"]["sigma"])


# --- rules ---------------------------------------------------------------------------------------

class _Moment(fields.Field):
    """An RFC 3339 timestamp, or '+30s' / '+5m': that long after the rule is added (virtual)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value.startswith("+"):
            try:
                return ("after", parse_duration(value[1:]))
            except ValueError as exc:
                raise ValidationError(str(exc)) from exc
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        try:
            return ("at", parse_timestamp(value))
        except (TypeError, ValueError, AttributeError):
            raise ValidationError("an RFC 3339 timestamp, or '+30s' for 30 s after the rule is added") from None


class WindowSchema(StrictSchema):
    start = _Moment(required=True, data_key="from")
    end = _Moment(required=True, data_key="until")


class TriggerSchema(StrictSchema):
    every = fields.Boolean(validate=validate.Equal(True))
    nth = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_COUNT))
    first = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_COUNT))
    probability = BoundedNumber(0, 1)
    seed = fields.Integer(strict=True, validate=SEED_RANGE)
    window = fields.Nested(WindowSchema)

    @validates_schema
    def _one_kind(self, data, **kwargs):
        kinds = [k for k in ("every", "nth", "first", "probability", "window") if k in data]
        if len(kinds) != 1:
            raise ValidationError("give exactly one of every, nth, first, probability, window")
        if "seed" in data and "probability" not in data:
            raise ValidationError("seed goes with probability", "seed")


class MatchSchema(StrictSchema):
    vendor = fields.String()
    operation = fields.String()
    resource = fields.String()
    state = fields.String()


class RespondSchema(StrictSchema):
    status = fields.Integer(strict=True, required=True, validate=validate.Range(min=400, max=599))
    code = fields.String()
    message = fields.String()
    headers = fields.Dict(keys=fields.String(), values=fields.String())


class RuleSchema(StrictSchema):
    id = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9._-]{1,64}$"))
    description = fields.String()
    match = fields.Nested(MatchSchema, load_default=dict)
    when = fields.Nested(TriggerSchema, load_default=lambda: {"every": True})
    respond = fields.Nested(RespondSchema)
    latency = fields.Nested(LatencySchema)
    transport = fields.String(validate=validate.OneOf(TRANSPORT_FAULTS))
    seed = fields.Integer(strict=True, validate=SEED_RANGE)

    @validates_schema
    def _one_effect(self, data, **kwargs):
        if not any(k in data for k in ("respond", "latency", "transport")):
            raise ValidationError("give an effect: respond, latency or transport")
        if "respond" in data and "transport" in data:
            raise ValidationError("respond and transport cannot be combined")


@dataclass
class FaultRule:
    id: str
    match: dict[str, str]
    when: dict[str, Any]
    respond: dict[str, Any] | None
    latency: Latency | None
    transport: str | None
    added_at: float
    description: str = ""
    seed: int | None = None
    data: dict[str, Any] = field(default_factory=dict, repr=False)  # the rule as loaded, for export
    calls: int = 0  # matching calls seen
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    @property
    def out_of_contract(self) -> bool:
        return self.transport is not None

    def in_window(self, now: float) -> bool:
        window = self.when["window"]
        bounds = [value if kind == "at" else self.added_at + value for kind, value in (window["start"], window["end"])]
        return bounds[0] <= now < bounds[1]

    def __post_init__(self) -> None:
        when = self.when  # the calls a trigger fires on, but for a window's, which depend on the time
        self._firing = ((when["nth"], when["nth"]) if "nth" in when else (1, when["first"]) if "first" in when
                       else None if "window" in when else (1, ALL_CALLS))
        self._probability = when.get("probability")

    def firing_calls(self, now: float) -> tuple[int, int]:
        """The matching calls, numbered from 1 and bounds included, this rule fires on at virtual `now`;
        a probability trigger also draws on each of them. The memory book counts here; the Redis book
        (simulator/shared/faults.py) counts in Redis and applies the same bounds there."""
        return self._firing or ((1, ALL_CALLS) if self.in_window(now) else (1, 0))

    def fires(self, now: float) -> bool:
        """Count this matching call and say whether the rule fires on it."""
        self.calls = call = self.calls + 1
        low, high = self._firing or self.firing_calls(now)
        hit = low <= call <= high and (self._probability is None or self.rng.random() < self._probability)
        self.fired += hit
        return hit

    def describe(self) -> dict[str, Any]:
        when = dict(self.when)
        if "window" in when:
            when["window"] = {
                "from": rfc3339(self._moment(when["window"]["start"])),
                "until": rfc3339(self._moment(when["window"]["end"])),
            }
        body: dict[str, Any] = {"id": self.id, "match": self.match, "when": when}
        if self.description:
            body["description"] = self.description
        if self.respond:
            body["respond"] = self.respond
        if self.latency:
            body["latency"] = self.latency.describe()
        if self.transport:
            body["transport"] = self.transport
        body.update({"out_of_contract": self.out_of_contract, "calls": self.calls, "fired": self.fired})
        return body

    def export(self) -> dict[str, Any]:
        """The rule as a scenario entry; a relative window becomes absolute virtual times."""
        data = dict(self.data)
        if "window" in self.when:
            window = self.when["window"]
            data["when"] = {"window": {"from": rfc3339(self._moment(window["start"])),
                                       "until": rfc3339(self._moment(window["end"]))}}
        return data

    def _moment(self, moment: tuple[str, float]) -> float:
        kind, value = moment
        return value if kind == "at" else self.added_at + value


@dataclass
class Request:
    """What a rule can match on. `state_of()` is called only when a rule names a state."""

    vendor: str | None
    operation: str | None
    resource_ids: tuple[str, ...]
    state_of: Callable[[], str | None]


@dataclass
class Decision:
    rules: list[str]
    respond: dict[str, Any] | None = None
    latency: float = 0.0
    transport: str | None = None

    def include(self, rule: FaultRule, latency: float) -> None:
        """A fired rule: latencies add up, the first error or transport fault wins."""
        self.rules.append(rule.id)
        self.latency += latency
        if self.respond is None and self.transport is None:
            self.respond = rule.respond
            self.transport = rule.transport


def contract_problems(data: dict[str, Any], contract: Contract) -> list[tuple[str, str]]:
    """(place, message) for a rule that names an unknown vendor/operation or an undocumented status."""
    match = data.get("match") or {}
    vendor = match.get("vendor")
    operation = match.get("operation")
    if vendor is not None and vendor not in contract:
        return [("match.vendor", f"unknown vendor {vendor!r}; allowed: {', '.join(sorted(contract))}")]
    if operation is not None:
        owners = [v for v in ([vendor] if vendor else contract) if operation in contract[v]]
        if not owners:
            known = sorted({op for v in ([vendor] if vendor else contract) for op in contract[v]})
            return [("match.operation", f"unknown operation {operation!r}; allowed: {', '.join(known)}")]
    respond = data.get("respond")
    if not respond:
        return []
    status = respond["status"]
    targets = [
        (v, op)
        for v in ([vendor] if vendor else contract)
        for op in ([operation] if operation else contract[v])
        if op in contract[v]
    ]
    undocumented = [f"{v} {op}" for v, op in targets if status not in contract[v][op]]
    if undocumented:
        shown = ", ".join(undocumented[:5]) + (" ..." if len(undocumented) > 5 else "")
        return [("respond.status", f"{status} is not documented for {shown}: a fault can only pick a status "
                                   f"that openapi/ documents for the operation (or use transport, out of contract)")]
    return []


def make_rule(data: dict[str, Any], rule_id: str, added_at: float) -> FaultRule:
    """The rule of a RuleSchema-loaded `data` under `rule_id`, added at virtual `added_at`, uncounted."""
    seed = data.get("when", {}).get("seed", data.get("seed"))
    return FaultRule(
        id=rule_id, match=dict(data.get("match") or {}), when=dict(data.get("when") or {"every": True}),
        respond=data.get("respond"), latency=latency_from(data["latency"]) if "latency" in data else None,
        transport=data.get("transport"), added_at=added_at, description=data.get("description", ""), seed=seed,
        rng=random.Random(seed if seed is not None else rule_id), data=dict(data, id=rule_id),
    )


class FaultBook:
    """The fault rules of one namespace. Thread-safe; evaluation is O(rules)."""

    def __init__(self) -> None:
        self._rules: dict[str, FaultRule] = {}
        self._lock = threading.Lock()
        self._counter = 0

    def add(self, data: dict[str, Any], now: float) -> FaultRule:
        """Add a rule already loaded by RuleSchema and checked with contract_problems."""
        with self._lock:
            self._counter += 1
            rule = make_rule(data, data.get("id") or f"fault-{self._counter}", now)
            self._rules[rule.id] = rule
            return rule

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            return self._rules.pop(rule_id, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._counter = 0

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def decide(self, request: Request, now: float) -> Decision | None:
        if not self._rules:
            return None
        with self._lock:
            decision: Decision | None = None
            state: list[str | None] = []
            for rule in self._rules.values():
                if not matches(rule.match, request, state):
                    continue
                if not rule.fires(now):
                    continue
                decision = decision or Decision(rules=[])
                decision.include(rule, 0.0 if rule.latency is None else rule.latency.draw(rule.rng))
            return decision


def matches(match: dict[str, str], request: Request, state_cache: list[str | None]) -> bool:
    """Whether a rule's `match` takes the request; `state_cache` keeps the looked-up state for the next rule."""
    if "vendor" in match and match["vendor"] != request.vendor:
        return False
    if "operation" in match and match["operation"] != request.operation:
        return False
    if "resource" in match and match["resource"] not in request.resource_ids:
        return False
    if "state" in match:
        if not state_cache:
            state_cache.append(request.state_of())
        if state_cache[0] != match["state"]:
            return False
    return True


def load_rule(data: Any) -> dict[str, Any]:
    """RuleSchema().load with the schema's errors (raises marshmallow.ValidationError)."""
    return RuleSchema().load(data)


def scenario_faults(contract: Contract | None) -> FaultCheck:
    """The check of a scenario's `faults` section: each rule loaded, and checked against the
    documented contract when one is given (vendor, operation, status)."""

    def check(entries: list) -> tuple[list[dict[str, Any]], list[Problem]]:
        rules, problems = [], []
        for index, entry in enumerate(entries):
            here = f"faults[{index}]"
            try:
                rule = load_rule(entry)
            except ValidationError as exc:
                problems += flatten_messages(exc.messages, here)
                continue
            found = contract_problems(rule, contract) if contract is not None else []
            problems += [Problem(f"{here}.{place}", message) for place, message in found]
            rules.append(rule)
        return rules, problems

    return check
