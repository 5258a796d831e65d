"""The control API under /_simulator (a stable contract: see DESIGN.md)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from .engine import Resource, ScenarioError, Transaction
from .engine.scenario import Duration, StrictBool, Timestamp, parse_scenario, parse_scenario_text
from .engine.timefmt import rfc3339
from .http.context import runtime, simulation
from .http.errors import ApiError, json_response

control = Blueprint("simulator_control", __name__)


def _error(status: int, message: str, details: Any = None):
    body: dict[str, Any] = {"error": message}
    if details is not None:
        body["details"] = details
    return ApiError(json_response(body, status))


def _json_body(schema: Schema) -> dict[str, Any]:
    data = request.get_json(silent=True)
    if data is None and request.get_data():
        raise _error(400, "the body is not valid JSON")
    try:
        return schema.load(data or {})
    except ValidationError as exc:
        raise _error(400, "invalid body", exc.messages) from None


def _clock_body():
    state = simulation().clock.state()
    return {"now": rfc3339(state.now), "speed": state.speed, "frozen": state.frozen}


def _resource_summary(resource: Resource) -> dict[str, Any]:
    return {
        "vendor": resource.vendor,
        "kind": resource.kind,
        "id": resource.id,
        "state": resource.state,
        "since": rfc3339(resource.entered_at),
    }


def _resource_detail(tx: Transaction, resource: Resource) -> dict[str, Any]:
    due = tx.next_due(resource)
    return {
        **_resource_summary(resource),
        "created_at": rfc3339(resource.created_at),
        "pending": sorted(resource.pending),
        "fields": resource.fields,
        "history": [{"state": h.state, "at": rfc3339(h.at), "cause": h.cause} for h in resource.history],
        "next": None if due is None else {"state": due["state"], "at": rfc3339(due["at"])},
    }


@control.get("/health")
def health():
    sim = simulation()
    return {
        "status": "ok",
        "vendors": sorted(runtime().vendors),
        "scenarios": list(sim.scenarios),
        "resources": len(sim.store),
    }


@control.post("/reset")
def reset():
    loaded = runtime().reset()
    return {"status": "reset", "scenarios": loaded, "clock": _clock_body()}


@control.post("/scenarios")
def load_scenario():
    rt = runtime()
    mimetype = request.mimetype or ""
    try:
        if mimetype.endswith("json"):
            document = request.get_json(silent=True)
            if document is None:
                raise _error(400, "the body is not valid JSON")
            scenario = parse_scenario(document, rt.vendors, source="request body")
        else:  # YAML (application/yaml, text/yaml, or anything else: YAML reads JSON too)
            scenario = parse_scenario_text(request.get_data(as_text=True), rt.vendors, source="request body")
    except ScenarioError as exc:
        raise _error(400, "invalid scenario", exc.as_json()) from None
    return json_response(rt.simulation.load(scenario), 201)


class AdvanceSchema(Schema):
    class Meta:
        unknown = RAISE

    seconds = Duration(required=True, metadata={"description": "a number of seconds or '5m', '1h'"})


class ClockUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    speed = fields.Float(validate=validate.Range(min=0))
    frozen = StrictBool()
    now = Timestamp()


@control.get("/clock")
def get_clock():
    return _clock_body()


@control.post("/clock/advance")
def advance_clock():
    body = _json_body(AdvanceSchema())
    simulation().clock.advance(body["seconds"])
    return _clock_body()


@control.put("/clock")
def set_clock():
    body = _json_body(ClockUpdateSchema())
    simulation().clock.configure(speed=body.get("speed"), frozen=body.get("frozen"), now=body.get("now"))
    return _clock_body()


@control.get("/resources")
def list_resources():
    vendor = request.args.get("vendor")
    kind = request.args.get("kind")
    with simulation().transaction() as tx:
        items = [
            _resource_summary(tx.catch_up(r))
            for r in tx.store
            if (vendor is None or r.vendor == vendor) and (kind is None or r.kind == kind)
        ]
    return {"resources": items, "count": len(items)}


@control.get("/resources/<vendor>/<kind>/<id>")
def get_resource(vendor: str, kind: str, id: str):
    sim = simulation()
    if f"{vendor}.{kind}" not in sim.lifecycles:
        raise _error(404, f"unknown resource type {vendor}/{kind}", {"allowed": sorted(sim.lifecycles)})
    with sim.transaction() as tx:
        resource = tx.get(vendor, kind, id)
        if resource is None:
            raise _error(404, f"no {vendor} {kind} with id {id!r}")
        return _resource_detail(tx, resource)


__all__ = ["control"]
