"""Faults applied to vendor requests: the namespace's rules, or one request's X-Simulator-Fault header.

`X-Simulator-Fault: status=503` (optionally `; code=BUSY; message=...`), `latency=200ms` or
`transport=reset|empty` forces one response on one request, like Prism's `Prefer: code=`. A status
must be documented for the operation in openapi/<vendor>.yaml.
"""
from __future__ import annotations

from typing import Any

from ..engine.timefmt import parse_duration
from ..traffic.faults import TRANSPORT_FAULTS, Decision

FAULT_HEADER = "X-Simulator-Fault"


class BadSteering(ValueError):
    pass


def parse_fault_header(value: str, documented: frozenset[int] | None) -> Decision:
    """'status=503; code=X; message=Y' / 'latency=200ms' / 'transport=reset' -> a Decision."""
    parts: dict[str, str] = {}
    for piece in value.replace(",", ";").split(";"):
        if piece.strip():
            key, sep, val = piece.partition("=")
            if not sep:
                raise BadSteering(f"{FAULT_HEADER}: expected name=value, got {piece.strip()!r}")
            parts[key.strip().lower()] = val.strip()
    unknown = set(parts) - {"status", "code", "message", "latency", "transport"}
    if unknown or not parts:
        raise BadSteering(f"{FAULT_HEADER}: use status=NNN[; code=...; message=...], latency=200ms or "
                          f"transport=reset|empty")
    decision = Decision(rules=[f"{FAULT_HEADER}: {value}"])
    if "latency" in parts:
        try:
            decision.latency = parse_duration(parts["latency"])
        except ValueError as exc:
            raise BadSteering(f"{FAULT_HEADER}: {exc}") from None
    if "transport" in parts:
        if parts["transport"] not in TRANSPORT_FAULTS:
            raise BadSteering(f"{FAULT_HEADER}: transport is one of {', '.join(TRANSPORT_FAULTS)}")
        decision.transport = parts["transport"]
    if "status" in parts:
        if not parts["status"].isdigit():
            raise BadSteering(f"{FAULT_HEADER}: status must be a number")
        status = int(parts["status"])
        if documented is None or status not in documented:
            allowed = ", ".join(str(s) for s in sorted(documented or ()))
            raise BadSteering(f"{FAULT_HEADER}: status {status} is not documented for this operation "
                              f"(documented: {allowed or 'none'})")
        respond: dict[str, Any] = {"status": status}
        respond.update({k: parts[k] for k in ("code", "message") if k in parts})
        decision.respond = respond
    return decision
