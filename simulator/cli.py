"""`simulator serve | validate` (also `python -m simulator ...`)."""
from __future__ import annotations

import argparse
import logging
import sys

from .settings import (
    DEFAULT_HOST,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_NAMESPACES,
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
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0 (0 freezes time)")
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
    serve.add_argument("--isolation", choices=ISOLATION_MODES, default=None,
                       help="how a request picks its namespace when it sends no X-Simulator-Namespace header: "
                       "'header' (default namespace) or 'credential' (one namespace per API key or token)")

    serve.add_argument("--callback-host", action="append", default=[], metavar="HOST",
                       help="a host callbacks and webhooks may be sent to besides loopback (repeatable)")

    validate = commands.add_parser(
        "validate",
        help="check scenario files and report every error",
        description="Check scenario files. Exit 0 if all are valid, else print every error and exit 1.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    return parser


def _serve(args: argparse.Namespace) -> int:
    from waitress import create_server

    from .app import create_app
    from .shipped import ScenariosRefused

    settings = Settings(host=args.host, port=args.port, scenarios=args.scenario, speed=args.speed,
                        threads=args.threads, max_body_bytes=args.max_body_bytes, journal_size=args.journal_size,
                        max_namespaces=args.max_namespaces, isolation=args.isolation,
                        callback_hosts=args.callback_host)
    try:
        app = create_app(settings)
    except ScenariosRefused as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server = create_server(app, host=settings.host, port=settings.port, threads=settings.threads,
                           max_request_body_size=settings.max_body_bytes, ident="simulator")
    host, port = server.effective_host, server.effective_port
    print(f"simulator listening on http://{host}:{port} (control API: http://{host}:{port}/_simulator)",
          flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


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
