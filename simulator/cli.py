"""`simulator serve | validate | scenarios` (also `python -m simulator ...`).

Every error a user can cause is one line on stderr, never a traceback: exit 2 for a bad command
line (argparse), 1 for anything else (a bad scenario, a port in use, an address the machine lacks).
"""
from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import re
import signal
import socket
import sys
import time
from collections import Counter

from . import __version__
from .engine.clock import MAX_SPEED, SPEED_RANGE_TEXT
from .engine.secrets import mask_url
from .settings import (
    DEFAULT_CONNECTION_LIMIT,
    DEFAULT_HOST,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_LATENCY,
    DEFAULT_MAX_NAMESPACES,
    DEFAULT_MAX_RESOURCES,
    DEFAULT_PORT,
    DEFAULT_THREADS,
    ISOLATION_MODES,
    Settings,
)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is outside 0-65535 (0 picks a free port)")
    return value


def _store(text: str) -> str | None:
    from .shared.store import parse_store

    try:
        return parse_store(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _speed(text: str) -> float:
    value = float(text)
    if not (value == 0 or 0 < value <= MAX_SPEED):  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"must be in {SPEED_RANGE_TEXT}, or 0 to freeze time")
    return value


def _latency(text: str) -> float:
    from .engine.timefmt import parse_duration

    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0 and 1h")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simulator",
        description="A contract-testing simulator of long-running-job APIs (Sparrow, Feldera, TwelveLabs, "
        "Hiveon, data wrappers) on a virtual clock. Control it under /_simulator.",
    )
    parser.add_argument("--version", action="version", version=f"simulator {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve every vendor API and the control API",
        description="Serve every vendor API on its real paths and the control API under /_simulator. "
        "Stop it with Ctrl-C or SIGTERM.",
        epilog="example: simulator serve --scenario default --speed 10",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST}; "
                       "use 0.0.0.0 only on a trusted network)")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT,
                       help=f"port, 0-65535 (default {DEFAULT_PORT}; 0 picks a free one)")
    serve.add_argument("--scenario", action="append", default=[], metavar="FILE|NAME",
                       help="scenario to load at start and on every reset: a YAML file, or the name of a shipped "
                       "one (`simulator scenarios` lists them); repeatable, loaded in order")
    serve.add_argument("--speed", type=_speed, default=None,
                       help="virtual seconds per real second (default: the scenarios' clock, else 1)")
    serve.add_argument("--threads", type=_positive_int, default=DEFAULT_THREADS,
                       help=f"waitress worker threads (default {DEFAULT_THREADS})")
    serve.add_argument("--max-body-bytes", type=_positive_int, default=DEFAULT_MAX_BODY_BYTES,
                       help=f"largest request body accepted (default {DEFAULT_MAX_BODY_BYTES})")

    serve.add_argument("--journal-size", type=_positive_int, default=DEFAULT_JOURNAL_SIZE,
                       help=f"requests kept in each namespace's journal (default {DEFAULT_JOURNAL_SIZE})")
    serve.add_argument("--max-namespaces", type=_positive_int, default=DEFAULT_MAX_NAMESPACES,
                       help=f"namespaces kept; the least recently used goes first (default {DEFAULT_MAX_NAMESPACES})")
    serve.add_argument("--max-resources", type=_positive_int, default=DEFAULT_MAX_RESOURCES,
                       help=f"resources each namespace may hold; creates beyond it get the vendor's capacity error "
                       f"(default {DEFAULT_MAX_RESOURCES})")
    serve.add_argument("--isolation", choices=ISOLATION_MODES, default=None,
                       help="how a request picks its namespace when it sends no X-Simulator-Namespace header: "
                       "'header' (default namespace) or 'credential' (one namespace per API key or token)")

    serve.add_argument("--store", type=_store, default="memory", metavar="memory|redis://HOST:PORT/DB",
                       help="where namespaces live: this process's memory (default), or a Redis database that "
                       "several simulator processes share as one world (run them behind any load balancer)")
    serve.add_argument("--callback-host", action="append", default=[], metavar="HOST",
                       help="a host callbacks and webhooks may be sent to besides loopback (repeatable)")
    serve.add_argument("--access-log", action="store_true",
                       help="print one line per request: namespace, method, path, operation, status, duration, "
                       "faults applied")

    guard = serve.add_argument_group("protection against hostile clients")
    guard.add_argument("--max-latency", type=_latency, default=DEFAULT_MAX_LATENCY, metavar="DURATION",
                       help=f"longest injected latency; longer requests are capped (default {DEFAULT_MAX_LATENCY:g}s)")
    guard.add_argument("--delay-slots", type=_positive_int, default=None, metavar="N",
                       help="requests that may sleep on injected latency at once; beyond it they are answered "
                       "undelayed, so delays never hold every worker (default: half of --threads)")
    guard.add_argument("--connection-limit", type=_positive_int, default=DEFAULT_CONNECTION_LIMIT, metavar="N",
                       help=f"open connections accepted at once (default {DEFAULT_CONNECTION_LIMIT})")
    guard.add_argument("--control-token", default=os.environ.get("SIMULATOR_CONTROL_TOKEN") or None,
                       metavar="TOKEN", help="require 'Authorization: Bearer TOKEN' on every /_simulator call "
                       "(default: env SIMULATOR_CONTROL_TOKEN; vendor paths are not affected)")
    guard.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                       help="a Host name the control API accepts besides loopback names (repeatable)")

    validate = commands.add_parser(
        "validate",
        help="check scenario files and report every error",
        description="Check scenario files (or shipped scenarios by name). Exit 0 if all are valid, else print "
        "every error and exit 1.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE|NAME")

    commands.add_parser(
        "scenarios",
        help="list the shipped scenarios",
        description="List the scenarios shipped with the simulator; load one with `serve --scenario NAME`, or "
        "POST /_simulator/scenarios?name=NAME on a running server.",
    )
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(host=args.host, port=args.port, scenarios=args.scenario, speed=args.speed,
                    threads=args.threads, max_body_bytes=args.max_body_bytes, journal_size=args.journal_size,
                    max_namespaces=args.max_namespaces, max_resources=args.max_resources,
                    isolation=args.isolation, callback_hosts=args.callback_host, max_latency=args.max_latency,
                    delay_slots=args.delay_slots, connection_limit=args.connection_limit,
                    control_token=args.control_token, allowed_hosts=args.allowed_host, store=args.store)


# --- serve ---------------------------------------------------------------------------------------

_stop_signal: list[str] = []


def _on_signal(signum, _frame) -> None:
    """A KeyboardInterrupt leaves waitress's loop (which closes the server and returns) for SIGTERM too."""
    _stop_signal.append(signal.Signals(signum).name)
    raise KeyboardInterrupt


def _listen_error(exc: OSError | ValueError, host: str, port: int) -> str:
    """One sentence for why the server cannot listen."""
    code = getattr(exc, "errno", None)
    if code == errno.EADDRINUSE:
        return f"port {port} on {host} is in use: pick another with --port, or --port 0 for a free one"
    if code == errno.EACCES:
        return f"port {port} on {host} needs privileges this user lacks: pick one above 1023 with --port"
    if code == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror | ValueError):
        return (f"cannot listen on {host}: this machine has no such address; give --host one of its own "
                f"(127.0.0.1, or 0.0.0.0 for every interface)")
    return f"cannot listen on {host} port {port}: {getattr(exc, 'strerror', None) or exc}"


_VERSION_SEGMENT = re.compile(r"v\d[\w.]*$")


def _api_roots(vendor, contract) -> list[str]:
    """The vendor's path prefixes, with the API versions its documented paths use: /api -> /api/v1 /api/v3."""
    roots = []
    for prefix in vendor.prefixes:
        base = prefix.rstrip("/")
        versions = {op.path[len(prefix):].split("/")[0] for op in contract.operations
                    if op.vendor == vendor.name and op.path.startswith(prefix)}
        versions = sorted(v for v in versions if _VERSION_SEGMENT.match(v))
        roots += [f"{base}/{v}" for v in versions] or [base]
    return roots


def banner_lines(app, url: str) -> list[str]:
    runtime = app.extensions["simulator"]
    with runtime.simulation.transaction() as tx:
        counts = Counter((r.vendor, r.kind) for r in tx.store)
    scenarios = ", ".join(f"{s.name} ({s.source})" for s in runtime.startup) or "none (an empty simulator)"
    lines = [f"vendor simulator {__version__}", f"scenarios: {scenarios}"]
    if runtime.settings.store:
        lines.append(f"store: {mask_url(runtime.settings.store)} (namespaces shared with every process using it)")
    lines.append("vendors (base URL, resources):")
    for name, vendor in sorted(runtime.vendors.items()):
        kinds = sorted((kind, n) for (v, kind), n in counts.items() if v == name)
        held = ", ".join(f"{n} {kind}" for kind, n in kinds) or "no resources"
        first, *more = _api_roots(vendor, runtime.contract)
        also = f" (also {', '.join(more)})" if more else ""
        lines.append(f"  {name:<11} {url + first:<36} {held}{also}")
    lines.append(f"simulator listening on {url} (control API: {url}/_simulator)")
    lines.append("stop it with Ctrl-C (SIGINT) or SIGTERM")
    return lines


def _install_access_log(app) -> None:
    from flask import request

    from .http.context import request_global
    from .http.transport import TRANSPORT_MARK, TRANSPORT_STATUS

    log = logging.getLogger("simulator.access")
    handler = logging.StreamHandler(sys.stdout)  # one write per line under concurrent requests
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False

    @app.after_request
    def _access(response):
        exchange = request_global("exchange")
        if exchange is None:
            return response
        status = str(response.status_code)
        if response.status_code == TRANSPORT_STATUS:
            status = f"transport:{response.headers.get(TRANSPORT_MARK, '?')}"
        operation = exchange.operation.operation_id if exchange.operation else "-"
        duration = (time.perf_counter() - exchange.started) * 1000
        log.info("namespace=%s %s %s operation=%s status=%s duration=%.1fms faults=%s",
                 exchange.simulation.name, request.method, request.full_path.rstrip("?"), operation, status,
                 duration, ",".join(exchange.faults) or "-")
        return response


def _serve(args: argparse.Namespace) -> int:
    # Start-up allocates what lives on: the collections it triggers find next to nothing (~10% of it).
    gc.disable()
    try:
        return _start_and_serve(args)
    finally:
        gc.enable()


def _start_and_serve(args: argparse.Namespace) -> int:
    from .app import create_app
    from .engine import ScenarioError
    from .engine.bulk import freeze_loads
    from .http.guard import is_loopback
    from .http.server import build_server
    from .shared.store import StoreUnavailable

    settings = settings_from(args)
    try:
        app = create_app(settings)
    except ScenarioError as exc:  # every bad file at once (ScenariosRefused), or a load that did not fit
        print("\n".join(exc.lines()), file=sys.stderr)
        return 1
    except StoreUnavailable as exc:
        print(f"simulator: {exc} at {mask_url(settings.store or '')}", file=sys.stderr)
        return 1
    if args.access_log:
        _install_access_log(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        server = build_server(app, settings)
    except (OSError, ValueError) as exc:  # ValueError: waitress could not resolve --host
        print(f"simulator: {_listen_error(exc, settings.host, settings.port)}", file=sys.stderr)
        return 1
    if not is_loopback(settings.host) and not settings.control_token:
        print(f"warning: listening on {settings.host} without --control-token: anyone who can reach this port "
              "can reset, load scenarios and read the journal", file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, _on_signal)  # before the banner: whoever reads it may stop us at once
    signal.signal(signal.SIGINT, _on_signal)
    host, port = server.effective_host, server.effective_port
    for bound_host, bound_port in _bound(server):
        app.extensions["simulator"].listening_on(bound_host, bound_port)
    try:
        print("\n".join(banner_lines(app, f"http://{host}:{port}")), flush=True)
        gc.freeze()  # start-up objects (modules, app, scenarios) leave the collector: shorter GC pauses, better p99
        freeze_loads()  # and so do what large scenario loads build (engine/bulk.py)
        gc.enable()
        server.run()
    except KeyboardInterrupt:  # a signal outside waitress's loop
        pass
    finally:
        server.close()
    print(f"simulator stopped ({', '.join(_stop_signal[:1]) or 'done'})", flush=True)
    return 0


def _bound(server) -> list[tuple[str, int]]:
    """Every (host, port) waitress listens on: one socket, or several for a name such as localhost."""
    return [(host, port) for host, port, *_ in getattr(server, "effective_listen", None)
            or [(server.effective_host, server.effective_port)]]


# --- validate, scenarios -------------------------------------------------------------------------

def _validate(args: argparse.Namespace) -> int:
    from .contract import ContractIndex
    from .engine import ScenarioError
    from .shipped import load_reference
    from .vendors import discover

    vendors = discover()
    contract = ContractIndex.load({name: vendor.spec_file for name, vendor in vendors.items()})
    failed = False
    for reference in args.files:
        try:
            scenario = load_reference(reference, vendors, contract.by_vendor)
        except ScenarioError as exc:
            failed = True
            print("\n".join(exc.lines()), file=sys.stderr)
        else:
            print(f"{reference}: ok ({scenario.name}: {len(scenario.resources)} resources)")
    return 1 if failed else 0


def _scenarios(_args: argparse.Namespace) -> int:
    from .shipped import describe_shipped

    items = describe_shipped()
    if not items:
        print("simulator: no shipped scenarios found: the package was installed without its data", file=sys.stderr)
        return 1
    width = max(len(item["name"]) for item in items)
    for item in items:
        print(f"{item['name']:<{width}}  {item['description']}")
    print(f"\n{len(items)} shipped scenarios; load one with `simulator serve --scenario NAME`")
    return 0


COMMANDS = {"serve": _serve, "validate": _validate, "scenarios": _scenarios}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        # A short-lived process whose scenarios live until it exits or are freed by reference
        # counting: the collector would only walk them (a collection ends each large load).
        gc.disable()
    elif args.command != "serve":
        gc.enable()  # `python -m simulator` paused it for the imports (serve keeps it paused until it listens)
    return COMMANDS[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
