"""Formatting and parsing of virtual timestamps and durations."""
from __future__ import annotations

import re
from datetime import UTC, datetime

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(value: object) -> float:
    """'500ms', '2s', '5m', '1h', '1d' or a bare number of seconds -> seconds (float)."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or a string such as '2s', '5m', '1h'")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return float(value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    raise ValueError(
        f"{value!r} is not a duration: use a number of seconds or a string such as '500ms', '2s', '5m', '1h'"
    )


def format_duration(seconds: float) -> str:
    if seconds == int(seconds):
        return f"{int(seconds)}s"
    return f"{round(seconds * 1000)}ms"


def to_datetime(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def rfc3339(ts: float, *, precision: str = "milliseconds") -> str:
    """UTC timestamp with a 'Z' suffix, e.g. 2026-11-22T10:00:00.123Z."""
    return to_datetime(ts).isoformat(timespec=precision).replace("+00:00", "Z")


def iso_offset(ts: float, *, precision: str = "milliseconds") -> str:
    """UTC timestamp with an explicit '+00:00' offset."""
    return to_datetime(ts).isoformat(timespec=precision)


def naive_utc(ts: float) -> str:
    """UTC timestamp with no zone designator and microseconds (FastAPI/pydantic style)."""
    return to_datetime(ts).replace(tzinfo=None).isoformat(timespec="microseconds")


def parse_timestamp(value: str) -> float:
    """RFC 3339 / ISO 8601 -> epoch seconds. A timestamp without a zone is taken as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
