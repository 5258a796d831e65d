"""What happens around every request: namespace, faults and latency, then the journal.

This runs on every request, so it keeps to dictionary lookups: the operation of a route and the
vendor of a blueprint are cached, and response bodies are kept as bytes in the journal and only
decoded when someone reads it.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

from flask import Flask, Response, g, request

from ..engine import Simulation
from ..engine.clock import real_now
from ..engine.faults import Decision
from ..engine.faults import Request as FaultRequest
from ..engine.journal import KEPT_HEADERS, RawBody, body_for_journal, mask_header
from .errors import json_response
from .namespaces import BadNamespace, namespace_of
from .steering import FAULT_HEADER, BadSteering, parse_fault_header
from .transport import TRANSPORT_MARK, TRANSPORT_STATUS


@dataclass
class Exchange:
    """One request's bookkeeping, kept in flask.g as a single object."""

    simulation: Simulation
    started: float
    real_time: float
    virtual_time: float
    vendor: object = None
    operation: object = None  # contract.Operation
    faults: tuple[str, ...] = ()


def install(app: Flask) -> None:
    runtime = app.extensions["simulator"]
    from ..runtime import DEFAULT_NAMESPACE

    vendor_of_blueprint = {blp.name: v for v in runtime.vendors.values() for blp in v.blueprints}
    operations: dict[tuple[str, str], object] = {}

    def operation_for(method: str, rule: str):
        key = (method, rule)
        if key not in operations:
            operations[key] = runtime.contract.for_route(method, rule)
        return operations[key]

    @app.before_request
    def _before() -> Response | None:
        started = time.perf_counter()
        req = request._get_current_object()
        vendor = vendor_of_blueprint.get(req.blueprint) or runtime.vendor_for_path(req.path)
        try:
            simulation = runtime.namespace(namespace_of(req, runtime.isolation, DEFAULT_NAMESPACE))
            problem = None
        except BadNamespace as exc:
            simulation, problem = runtime.simulation, str(exc)
        exchange = Exchange(simulation, started, real_now(), simulation.clock.now(), vendor)
        g.exchange = exchange
        g.simulation = simulation
        if problem:
            return _bad_request(exchange, problem)
        if vendor is None:
            return None
        rule = req.url_rule
        exchange.operation = operation_for(req.method, rule.rule) if rule is not None else None
        return None

    def _faults() -> Response | None:
        """Runs after the vendor's own before_request (its auth): a request the vendor refuses
        keeps its documented refusal, and faults strike the requests that got through."""
        exchange = g.get("exchange")
        if exchange is None or exchange.vendor is None:
            return None
        try:
            decision = _decide(exchange)
        except BadSteering as exc:
            return _bad_request(exchange, str(exc))
        return _apply(exchange, decision) if decision else None

    for vendor in runtime.vendors.values():
        for blueprint in vendor.blueprints:
            app.before_request_funcs.setdefault(blueprint.name, []).append(_faults)

    @app.after_request
    def _after(response: Response) -> Response:
        exchange = g.get("exchange")
        if exchange is not None and exchange.vendor is not None:
            _record(exchange, response)
        return response


def _bad_request(exchange: Exchange, message: str) -> Response:
    if exchange.vendor is not None:
        return exchange.vendor.errors.response(400, "SIMULATOR_BAD_REQUEST", message)
    return json_response({"error": message}, 400)


_FAULT_ENVIRON = "HTTP_" + FAULT_HEADER.upper().replace("-", "_")


def _decide(exchange: Exchange) -> Decision | None:
    header = request.environ.get(_FAULT_ENVIRON)
    operation = exchange.operation
    if header:
        return parse_fault_header(header, operation.statuses if operation else None)
    simulation = exchange.simulation
    if not len(simulation.faults):
        return None
    ids = tuple(str(v) for v in (request.view_args or {}).values())
    return simulation.faults.decide(
        FaultRequest(vendor=exchange.vendor.name, operation=operation.operation_id if operation else None,
                     resource_ids=ids, state_of=_state_lookup(simulation, exchange.vendor, ids)),
        exchange.virtual_time,
    )


def _state_lookup(simulation, vendor, ids: tuple[str, ...]) -> Callable[[], str | None]:
    def state_of() -> str | None:
        with simulation.transaction() as tx:
            for lifecycle in vendor.lifecycles:
                for resource_id in ids:
                    resource = tx.get(vendor.name, lifecycle.kind, resource_id)
                    if resource is not None:
                        return resource.state
        return None

    return state_of


def _apply(exchange: Exchange, decision: Decision) -> Response | None:
    exchange.faults = tuple(decision.rules)
    if decision.latency > 0:
        time.sleep(decision.latency)  # real latency, so clients' timeouts fire; holds only this thread
    if decision.transport:
        response = Response(status=TRANSPORT_STATUS)
        response.headers[TRANSPORT_MARK] = decision.transport
        return response
    if decision.respond:
        respond = decision.respond
        status = respond["status"]
        phrase = _phrase(status)
        code = respond.get("code") or phrase.upper().replace(" ", "_").replace("-", "_")
        message = respond.get("message") or f"Injected fault: {status} {phrase}"
        return exchange.vendor.errors.response(status, code, message, headers=respond.get("headers") or {})
    return None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


_KEPT_ENVIRON = {
    ("CONTENT_TYPE" if name == "content-type" else "CONTENT_LENGTH" if name == "content-length"
     else "HTTP_" + name.upper().replace("-", "_")): "-".join(part.capitalize() for part in name.split("-"))
    for name in KEPT_HEADERS
}


def _request_body(req, limit: int):
    environ = req.environ
    if not environ.get("CONTENT_LENGTH") and "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", ""):
        return None
    try:
        raw = req.get_data(cache=True)
    except Exception:  # an oversized body (413) cannot be read back; the status says enough
        return None
    return body_for_journal(raw, req.mimetype or "", limit) if raw else None


def _record(exchange: Exchange, response: Response) -> None:
    req = request._get_current_object()
    environ = req.environ
    journal = exchange.simulation.journal
    transport = response.headers.get(TRANSPORT_MARK) if response.status_code == TRANSPORT_STATUS else None
    headers = {label: mask_header(label, environ[key]) for key, label in _KEPT_ENVIRON.items() if key in environ}
    response_body = None
    if not transport and not response.direct_passthrough:
        data = response.get_data()
        if data:  # decoded (and masked) only when the journal is read
            response_body = RawBody(data[: journal.body_limit + 1], len(data), response.content_type or "")
    operation = exchange.operation
    journal.record(
        namespace=exchange.simulation.name,
        method=req.method,
        path=req.path,
        query=environ.get("QUERY_STRING", ""),
        vendor=exchange.vendor.name,
        operation=operation.operation_id if operation else None,
        status=0 if transport else response.status_code,
        real_time=exchange.real_time,
        virtual_time=exchange.virtual_time,
        duration_ms=round((time.perf_counter() - exchange.started) * 1000, 3),
        request_headers=headers,
        request_body=_request_body(req, journal.body_limit),
        response_body=response_body,
        faults=exchange.faults,
        extra={"transport": transport} if transport else {},
    )
