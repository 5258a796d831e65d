"""What happens around every request: namespace, faults and latency, then the journal.

This runs on every request, so it keeps to dictionary lookups: the operation of a route and the
vendor of a blueprint are cached, and response bodies are kept as bytes in the journal and only
decoded when someone reads it.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

from flask import Flask, Request, Response, g, request
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge

from ..engine import Simulation
from ..engine.clock import real_now
from ..shared.store import StoreUnavailable
from ..traffic.faults import Decision
from ..traffic.faults import Request as FaultRequest
from ..traffic.journal import KEPT_HEADER_ORDER, RawBody, Recorded
from .bodies import BodyProblem, NotJSON, check_json, declares_body
from .context import request_global
from .environ import environ_key
from .errors import json_response
from .guard import CONTROL_PREFIX, ControlGuard
from .namespaces import BadNamespace, namespace_of
from .server import TOO_LARGE_ENVIRON
from .steering import FAULT_HEADER, BadSteering, parse_fault_header
from .transport import TRANSPORT_MARK, TRANSPORT_STATUS

log = logging.getLogger("simulator.pipeline")

CONTROL_BODY_SCALE = 10  # control bodies may be larger: a scenario of a few hundred thousand resources


@dataclass(slots=True)
class Exchange:
    """One request's bookkeeping, kept in flask.g as a single object."""

    simulation: Simulation
    request: Request
    started: float
    real_time: float
    virtual_time: float
    vendor: object = None
    operation: object = None  # contract.Operation
    faults: tuple[str, ...] = ()


class DelayGate:
    """Injected latency, capped, and never holding more than `slots` worker threads at once.

    A request that asks for a delay while every slot is taken is answered without it (and the
    journal says so): sleeping anyway would let a handful of slow requests starve the server.
    """

    def __init__(self, max_latency: float, slots: int) -> None:
        self.max_latency = max_latency
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)

    def sleep(self, seconds: float) -> str | None:
        """Sleep min(seconds, max_latency); returns a note for the journal when not slept in full."""
        capped = min(seconds, self.max_latency)
        if not self._free.acquire(blocking=False):
            return f"latency skipped: {self.slots} delayed requests already waiting"
        try:
            time.sleep(capped)
        finally:
            self._free.release()
        return f"latency capped at {self.max_latency:g}s (--max-latency)" if capped < seconds else None


def install(app: Flask) -> None:
    runtime = app.extensions["simulator"]
    from ..runtime import DEFAULT_NAMESPACE

    vendor_of_blueprint = {blp.name: v for v in runtime.vendors.values() for blp in v.blueprints}
    delays = DelayGate(runtime.settings.max_latency, runtime.settings.delayed_at_once)
    guard = ControlGuard(runtime.settings)
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
        if vendor is None and req.path.startswith(CONTROL_PREFIX):
            refusal = guard.refuse(req)  # before the namespace: a refused call must not create one
            if refusal is not None:
                return refusal
        try:
            simulation = runtime.namespace(namespace_of(req, runtime.isolation, DEFAULT_NAMESPACE))
            problem = None
        except BadNamespace as exc:
            simulation, problem = runtime.simulation, str(exc)
        simulation.enter_request(vendor is not None and not problem)
        exchange = Exchange(simulation, req, started, real_now(), simulation.clock.now(), vendor)
        globals_ = g._get_current_object()
        globals_.exchange = exchange
        globals_.simulation = simulation
        if problem:
            return _bad_request(exchange, problem)
        if vendor is not None:
            rule = req.url_rule
            exchange.operation = operation_for(req.method, rule.rule) if rule is not None else None
        if vendor is None or req.environ.get(TOO_LARGE_ENVIRON):
            refusal = _refuse_body(req, vendor)  # a vendor's body waits until its auth has passed
            return None if refusal is None else _error(exchange, refusal)
        return None

    def _after_vendor_checks() -> Response | None:
        """Runs after the vendor's own before_request (its auth): a request the vendor refuses
        keeps its documented refusal; faults strike the requests that got through, then the body
        is checked before the view parses it."""
        exchange = request_global("exchange")
        if exchange is None or exchange.vendor is None:
            return None
        req = exchange.request
        try:
            decision = _decide(exchange, req)
        except BadSteering as exc:
            return _bad_request(exchange, str(exc))
        if decision:
            response = _apply(exchange, decision, delays)
            if response is not None:
                return response
        refusal = _refuse_body(req, exchange.vendor)
        return None if refusal is None else _error(exchange, refusal)

    for vendor in runtime.vendors.values():
        for blueprint in vendor.blueprints:
            app.before_request_funcs.setdefault(blueprint.name, []).append(_after_vendor_checks)

    if runtime.shared is not None:  # only a shared namespace keeps a per-thread mode (enter_request)
        @app.teardown_request
        def _teardown(_error: BaseException | None) -> None:
            exchange = request_global("exchange")
            if exchange is not None:
                exchange.simulation.enter_request(False)  # what runs next on this thread is no vendor request

    @app.after_request
    def _after(response: Response) -> Response:
        exchange = request_global("exchange")
        if exchange is not None and exchange.vendor is not None:
            try:
                _record(exchange, response)
            except StoreUnavailable:  # the answer (already the store's error, most likely) still goes out
                log.warning("journal not written: the shared store is unavailable")
        return response


def _refuse_body(req, vendor) -> HTTPException | None:
    """A body refused before any view parses it: too large (waitress' mark) or hostile JSON."""
    environ = req.environ
    if environ.get(TOO_LARGE_ENVIRON):
        return RequestEntityTooLarge(f"the body exceeds the limit of {req.max_content_length} bytes "
                                     "(--max-body-bytes)")
    if not declares_body(environ) or not req.is_json:
        return None
    try:
        raw = req.get_data(cache=True)
        if raw:
            # vendors' servers refuse NaN as JSON; the control API's schemas name the field instead
            parsed = check_json(raw, scale=1, finite=True) if vendor else check_json(raw, scale=CONTROL_BODY_SCALE,
                                                                                     finite=False)
            req._cached_json = (parsed, parsed)  # get_json() and the vendors' argument parser reuse it
    except HTTPException as exc:  # a declared length over the limit
        return exc
    except NotJSON:
        return None  # the view's parser says so in the vendor's usual words
    except BodyProblem as exc:
        req._cached_json = (None, None)  # an error builder that looks at the body finds none
        refusal = BadRequest(str(exc))
        refusal.data = {"messages": {"json": [str(exc)]}}  # as webargs reports a body problem
        return refusal
    return None


def _error(exchange: Exchange, exc: HTTPException) -> Response:
    if exchange.vendor is not None:
        return exchange.vendor.errors.from_http(exc)
    return json_response({"error": exc.description, "status": exc.code}, exc.code or 400)


def _bad_request(exchange: Exchange, message: str) -> Response:
    if exchange.vendor is not None:
        return exchange.vendor.errors.response(400, "SIMULATOR_BAD_REQUEST", message)
    return json_response({"error": message}, 400)


_FAULT_ENVIRON = environ_key(FAULT_HEADER)


def _decide(exchange: Exchange, req) -> Decision | None:
    header = req.environ.get(_FAULT_ENVIRON)
    operation = exchange.operation
    if header:
        return parse_fault_header(header, operation.statuses if operation else None)
    simulation = exchange.simulation
    if not len(simulation.faults):
        return None
    ids = tuple(str(v) for v in (req.view_args or {}).values())
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


def _apply(exchange: Exchange, decision: Decision, delays: DelayGate) -> Response | None:
    exchange.faults = tuple(decision.rules)
    if decision.latency > 0:  # real latency, so clients' timeouts fire
        note = delays.sleep(decision.latency)
        if note:
            exchange.faults += (note,)
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


_KEPT_ENVIRON_KEYS = tuple(environ_key(header) for header in KEPT_HEADER_ORDER)


def _request_body(req, limit: int) -> RawBody | None:
    """At most `limit` + 1 bytes of the body, decoded (and masked) only when the journal is read."""
    environ = req.environ
    if environ.get(TOO_LARGE_ENVIRON):
        return None
    if not declares_body(environ):
        return None
    try:
        raw = req.get_data(cache=True)
    except HTTPException:  # an oversized body (413) cannot be read back; the status says enough
        return None
    return RawBody(raw[: limit + 1], len(raw), req.mimetype or "") if raw else None


def _record(exchange: Exchange, response: Response) -> None:
    """Hands the journal references only (traffic.journal.Recorded): it masks and builds when read."""
    req = exchange.request
    environ = req.environ
    journal = exchange.simulation.journal
    status = response.status_code
    transport = response.headers.get(TRANSPORT_MARK) if status == TRANSPORT_STATUS else None
    response_body = None
    if not transport and not response.direct_passthrough:
        data = response.get_data()
        if data:  # decoded (and masked) only when the journal is read
            response_body = RawBody(data[: journal.body_limit + 1], len(data), response.content_type or "")
    operation = exchange.operation
    journal.record_request(Recorded(
        namespace=exchange.simulation.name,
        method=req.method,
        path=req.path,
        query=environ.get("QUERY_STRING", ""),
        vendor=exchange.vendor.name,
        operation=operation.operation_id if operation else None,
        status=0 if transport else status,
        real_time=exchange.real_time,
        virtual_time=exchange.virtual_time,
        seconds=time.perf_counter() - exchange.started,
        header_values=tuple(map(environ.get, _KEPT_ENVIRON_KEYS)),
        request_body=_request_body(req, journal.body_limit),
        response_body=response_body,
        faults=exchange.faults,
        transport=transport,
    ))
