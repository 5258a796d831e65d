"""The control API under /_simulator (a stable contract: see DESIGN.md)."""
from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, Response, request
from marshmallow import Schema, ValidationError

from . import __version__
from .engine import Resource, ScenarioError, Transaction
from .engine.bulk import gc_paused
from .engine.clock import MAX_SPEED, ClockError
from .engine.export import export_json, export_yaml
from .engine.fields import BoundedNumber, Duration, StrictBool, Timestamp
from .engine.scenario import parse_scenario, parse_scenario_text
from .engine.secrets import mask_json, mask_url
from .engine.timefmt import parse_timestamp, rfc3339
from .http.context import runtime, simulation
from .http.errors import ApiError, encode_json, json_response
from .kit.schema import StrictSchema
from .shipped import describe_shipped, load_shipped, shipped_names
from .traffic.faults import contract_problems, load_rule, scenario_faults
from .traffic.journal import Entry, readable, select

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


def _next_due(tx: Transaction, resource: Resource) -> dict[str, str] | None:
    due = tx.next_due(resource)
    return None if due is None else {"state": due["state"], "at": rfc3339(due["at"])}


def _resource_detail(tx: Transaction, resource: Resource) -> dict[str, Any]:
    return {
        **_resource_summary(resource),
        "created_at": rfc3339(resource.created_at),
        "pending": sorted(resource.pending),
        "fields": mask_json(resource.fields),
        "history": [{"state": h.state, "at": rfc3339(h.at), "cause": h.cause} for h in resource.history],
        "next": _next_due(tx, resource),
    }


@control.get("/health")
def health():
    sim = simulation()
    with sim.transaction():  # a shared namespace's copy is brought up to date first
        scenarios, resources = list(sim.scenarios), len(sim.store)
    return {
        "status": "ok",
        "version": __version__,
        "vendors": sorted(runtime().vendors),
        "namespace": sim.name,
        "isolation": runtime().isolation,
        "scenarios": scenarios,
        "resources": resources,
    }


@control.post("/reset")
def reset():
    loaded = runtime().reset(simulation().name)
    return {"status": "reset", "namespace": simulation().name, "scenarios": loaded, "clock": _clock_body()}


@control.get("/scenarios/shipped")
def list_shipped_scenarios():
    items = describe_shipped()
    return {"scenarios": items, "count": len(items)}


@control.post("/scenarios")
def load_scenario():
    """A scenario in the body (YAML or JSON), or `?name=NAME` for a shipped one (no body)."""
    rt = runtime()
    mimetype = request.mimetype or ""
    # one gc pause for reading, checking and loading: one collection at its end, not one per step
    with gc_paused():
        return _load_scenario(rt, mimetype)


def _load_scenario(rt, mimetype: str):
    try:
        if "name" in request.args:
            name = request.args["name"]
            try:
                scenario = load_shipped(name, rt.vendors, rt.contract.by_vendor)
            except LookupError:
                raise _error(404, f"no shipped scenario {name!r}", {"allowed": shipped_names()}) from None
        elif mimetype.endswith("json"):
            document = request.get_json(silent=True)
            if document is None:
                raise _error(400, "the body is not valid JSON")
            scenario = parse_scenario(document, rt.vendors, "request body", scenario_faults(rt.contract.by_vendor))
        else:  # YAML (application/yaml, text/yaml, or anything else: YAML reads JSON too)
            text = request.get_data(as_text=True)
            scenario = parse_scenario_text(text, rt.vendors, "request body", scenario_faults(rt.contract.by_vendor))
        loaded = simulation().load(scenario)  # refused whole, before any change, beyond --max-resources
    except ScenarioError as exc:
        raise _error(400, "invalid scenario", exc.as_json()) from None
    return json_response(loaded, 201)


class AdvanceSchema(StrictSchema):
    seconds = Duration(required=True, metadata={"description": "a number of seconds or '5m', '1h'; at most 10 years"})


class ClockUpdateSchema(StrictSchema):
    speed = BoundedNumber(0, MAX_SPEED, low_open=True, metadata={"description": "virtual seconds per real second"})
    frozen = StrictBool()
    now = Timestamp()


def _clock_change(change, field: str):
    """Apply a clock change, answering 400 naming `field` if the clock refuses it (nothing changes then)."""
    try:
        change()
    except ClockError as exc:
        raise _error(400, "invalid body", {field: [str(exc)]}) from None


@control.get("/clock")
def get_clock():
    return _clock_body()


@control.post("/clock/advance")
def advance_clock():
    body = _json_body(AdvanceSchema())
    _clock_change(lambda: simulation().change_clock(lambda clock: clock.advance(body["seconds"])), "seconds")
    runtime().clock_changed(simulation())
    return _clock_body()


@control.put("/clock")
def set_clock():
    body = _json_body(ClockUpdateSchema())
    _clock_change(lambda: simulation().change_clock(
        lambda clock: clock.configure(speed=body.get("speed"), frozen=body.get("frozen"), now=body.get("now"))),
        "now" if "now" in body else "speed")
    runtime().clock_changed(simulation())
    return _clock_body()


def _page_bounds() -> tuple[int, int | None]:
    bounds = []
    for name in ("offset", "limit"):
        text = request.args.get(name)
        if text is None:
            bounds.append(None)
            continue
        if not text.isdigit():
            raise _error(400, f"{name} is a whole number >= 0, not {text!r}")
        bounds.append(int(text))
    return bounds[0] or 0, bounds[1]


@control.get("/resources")
def list_resources():
    """Resources grouped by vendor and kind; `limit`/`offset` page them, `kinds` counts every match."""
    vendor = request.args.get("vendor")
    kind = request.args.get("kind")
    offset, limit = _page_bounds()
    sim = simulation()
    found: list[Resource] = []
    kinds = []
    with sim.transaction() as tx:
        for lifecycle in sorted(sim.lifecycles.values(), key=lambda lc: (lc.vendor, lc.kind)):
            if (vendor is not None and lifecycle.vendor != vendor) or (kind is not None and lifecycle.kind != kind):
                continue
            resources = [tx.catch_up(r) for r in tx.store.of_kind(lifecycle.vendor, lifecycle.kind)]
            if not resources:
                continue
            counts = Counter(r.state for r in resources)
            kinds.append({"vendor": lifecycle.vendor, "kind": lifecycle.kind, "count": len(resources),
                          "states": {state: counts[state] for state in lifecycle.states if state in counts}})
            found += resources
        page = found[offset:] if limit is None else found[offset:offset + limit]
        items = [{**_resource_summary(r), "next": _next_due(tx, r)} for r in page]
    return {"resources": items, "count": len(items), "total": len(found), "offset": offset, "limit": limit,
            "kinds": kinds}


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


@control.get("/resources/<vendor>/<kind>/<id>/vendor")
def get_resource_as_vendor(vendor: str, kind: str, id: str):
    """The resource as the vendor's own GET returns it (not journalled, no fault applies)."""
    sim = simulation()
    if f"{vendor}.{kind}" not in sim.lifecycles:
        raise _error(404, f"unknown resource type {vendor}/{kind}", {"allowed": sorted(sim.lifecycles)})
    view = runtime().vendors[vendor].views.get(kind)
    if view is None or view.path is None:
        raise _error(404, f"the {vendor} API has no call that returns one {kind}")
    with sim.transaction() as tx:
        resource = tx.get(vendor, kind, id)
        body = None if resource is None else view.render(tx, resource)
        if body is None:
            raise _error(404, f"no {vendor} {kind} with id {id!r}")
        return {"path": view.path.format(id=resource.id), "body": body}


# --- export --------------------------------------------------------------------------------------

@control.get("/scenario")
def export_state():
    """The namespace's live state as a scenario (YAML, or JSON when asked with Accept)."""
    include_auth = request.args.get("auth") == "include"
    # Streamed: written batch by batch as the client reads, the namespace answering meanwhile.
    if request.accept_mimetypes.best_match(["application/yaml", "application/json"]) == "application/json":
        return Response(export_json(simulation(), encode_json, include_auth=include_auth),
                        mimetype="application/json")
    return Response(export_yaml(simulation(), include_auth=include_auth), mimetype="application/yaml")


# --- callbacks -----------------------------------------------------------------------------------

@control.get("/callbacks")
def pending_callbacks():
    """Notifications waiting for their virtual time (or a retry)."""
    items = [{"url": mask_url(n.url), "event": n.event, "vendor": n.resource[0], "kind": n.resource[1],
              "id": n.resource[2], "due": rfc3339(n.due_at), "attempts": n.attempts, "last_error": n.last_error}
             for n in simulation().outbox.pending()]
    return {"callbacks": items, "count": len(items)}


# --- faults --------------------------------------------------------------------------------------

@control.get("/faults")
def list_faults():
    rules = [rule.describe() for rule in simulation().faults.rules()]
    return {"faults": rules, "count": len(rules)}


@control.post("/faults")
def add_fault():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise _error(400, "the body must be a JSON object: a fault rule")
    try:
        rule = load_rule(data)
    except ValidationError as exc:
        raise _error(400, "invalid fault rule", exc.messages) from None
    problems = contract_problems(rule, runtime().contract.by_vendor)
    if problems:
        raise _error(400, "fault rule refused", [{"path": place, "message": msg} for place, msg in problems])
    sim = simulation()
    return json_response(sim.faults.add(rule, sim.clock.now()).describe(), 201)


@control.delete("/faults/<rule_id>")
def delete_fault(rule_id: str):
    if not simulation().faults.remove(rule_id):
        raise _error(404, f"no fault rule {rule_id!r}")
    return "", 204


@control.delete("/faults")
def clear_faults():
    simulation().faults.clear()
    return "", 204


# --- the request journal -------------------------------------------------------------------------

def _journal_filters() -> dict[str, Any]:
    args = request.args
    filters: dict[str, Any] = {k: args[k] for k in ("vendor", "operation", "method", "path") if k in args}
    try:
        if "status" in args:
            filters["status"] = int(args["status"])
        if "since" in args:
            filters["since"] = parse_timestamp(args["since"])
    except ValueError:
        raise _error(400, "status is a number; since is an RFC 3339 timestamp (virtual time)") from None
    return filters


def _entry(entry: Entry, limit: int) -> dict[str, Any]:
    body = {
        "seq": entry.seq, "namespace": entry.namespace, "method": entry.method, "path": entry.path,
        "query": entry.query, "vendor": entry.vendor, "operation": entry.operation, "status": entry.status,
        "virtual_time": rfc3339(entry.virtual_time), "real_time": rfc3339(entry.real_time),
        "duration_ms": entry.duration_ms, "faults": list(entry.faults),
        "request": {"headers": dict(entry.request_headers), "body": readable(entry.request_body, limit)},
        "response": {"body": readable(entry.response_body, limit)},
    }
    body.update(entry.extra)
    return body


@control.get("/requests")
def list_requests():
    journal = simulation().journal
    found = select(journal.entries(), **_journal_filters())
    limit = request.args.get("limit", type=int)
    if limit is not None and limit >= 0:
        found = found[-limit:] if limit else []
    return {"requests": [_entry(e, journal.body_limit) for e in found], "count": len(found), "capacity": journal.size,
            "dropped": journal.dropped}


@control.get("/requests/count")
def count_requests():
    return {"count": len(select(simulation().journal.entries(), **_journal_filters()))}


@control.delete("/requests")
def clear_requests():
    return {"cleared": simulation().journal.clear()}


# --- namespaces ----------------------------------------------------------------------------------

@control.get("/namespaces")
def list_namespaces():
    if runtime().shared is not None:
        items = runtime().shared.summaries()
    else:
        items = [{"name": sim.name, "resources": len(sim.store), "faults": len(sim.faults),
                  "requests": len(sim.journal)} for sim in runtime().namespaces()]
    return {"namespaces": items, "count": len(items), "isolation": runtime().isolation}


@control.delete("/namespaces/<name>")
def drop_namespace(name: str):
    if not runtime().drop_namespace(name):
        raise _error(404, f"no namespace {name!r}")
    return "", 204


__all__ = ["control"]
