"""`simulator serve | validate` (also `python -m simulator ...`)."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from .engine.clock import MAX_SPEED, SPEED_RANGE_TEXT
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
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve every vendor API and the control API",
        description="Serve every vendor API on its real paths and the control API under /_simulator.",
        epilog="example: simulator serve --scenario scenarios/default.yaml --speed 10",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST}; "
                       "use 0.0.0.0 only on a trusted network)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    serve.add_argument("--scenario", action="append", default=[], metavar="FILE",
                       help="scenario YAML to load at start and on every reset; repeatable, loaded in order")
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

    serve.add_argument("--callback-host", action="append", default=[], metavar="HOST",
                       help="a host callbacks and webhooks may be sent to besides loopback (repeatable)")

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
        description="Check scenario files. Exit 0 if all are valid, else print every error and exit 1.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    return parser


def _serve(args: argparse.Namespace) -> int:
    from .app import create_app
    from .engine import ScenarioError
    from .http.guard import is_loopback
    from .http.server import build_server

    settings = Settings(host=args.host, port=args.port, scenarios=args.scenario, speed=args.speed,
                        threads=args.threads, max_body_bytes=args.max_body_bytes, journal_size=args.journal_size,
                        max_namespaces=args.max_namespaces, max_resources=args.max_resources,
                        isolation=args.isolation, callback_hosts=args.callback_host, max_latency=args.max_latency,
                        delay_slots=args.delay_slots, connection_limit=args.connection_limit,
                        control_token=args.control_token, allowed_hosts=args.allowed_host)
    try:
        app = create_app(settings)
    except ScenarioError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if not is_loopback(settings.host) and not settings.control_token:
        print(f"warning: listening on {settings.host} without --control-token: anyone who can reach this port "
              "can reset, load scenarios and read the journal", file=sys.stderr, flush=True)
    server = build_server(app, settings)
    host, port = server.effective_host, server.effective_port
    for bound_host, bound_port in _bound(server):
        app.extensions["simulator"].listening_on(bound_host, bound_port)
    print(f"simulator listening on http://{host}:{port} (control API: http://{host}:{port}/_simulator)",
          flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def _bound(server) -> list[tuple[str, int]]:
    """Every (host, port) waitress listens on: one socket, or several for a name such as localhost."""
    return [(host, port) for host, port, *_ in getattr(server, "effective_listen", None)
            or [(server.effective_host, server.effective_port)]]


def _validate(args: argparse.Namespace) -> int:
    from .contract import ContractIndex
    from .engine import ScenarioError
    from .engine.scenario import load_scenario_file
    from .vendors import discover

    vendors = discover()
    contract = ContractIndex.load({name: vendor.spec_file for name, vendor in vendors.items()})
    failed = False
    for path in args.files:
        try:
            scenario = load_scenario_file(path, vendors, contract.by_vendor)
        except ScenarioError as exc:
            failed = True
            print("\n".join(exc.lines()), file=sys.stderr)
        else:
            print(f"{path}: ok ({scenario.name}: {len(scenario.resources)} resources)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return _serve(args) if args.command == "serve" else _validate(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
