"""Formatting and parsing of virtual timestamps and durations, within the bounds the simulator accepts."""
from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import lru_cache

# The largest duration anywhere (a timer, a remaining time, a fault latency, one clock advance):
# 10 years, far beyond any job a test waits for, and far from float precision trouble.
MAX_DURATION = 10 * 365 * 86400.0
MAX_DURATION_TEXT = "3650d (10 years)"
# Virtual time stays between the epoch and year 9000, so every instant renders as RFC 3339.
MIN_TIMESTAMP = 0.0
MAX_TIMESTAMP = datetime(9000, 1, 1, tzinfo=UTC).timestamp()
TIMESTAMP_RANGE_TEXT = "from 1970-01-01T00:00:00Z up to (not including) 9000-01-01T00:00:00Z"

# At most 12 digits before the point and 9 after: a 400-digit string is refused, not turned into inf.
_DURATION = re.compile(r"^\s*(\d{1,12}(?:\.\d{1,9})?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
_DURATION_SHAPE = "a number of seconds or a string such as '500ms', '2s', '5m', '1h', '1d'"


def _bounded(seconds: float) -> float:
    if not 0 <= seconds <= MAX_DURATION:
        raise ValueError(f"a duration is between 0 and {MAX_DURATION_TEXT}")
    return seconds


def parse_duration(value: object) -> float:
    """'500ms', '2s', '5m', '1h', '1d' or a bare number of seconds -> seconds (float), 0 to MAX_DURATION."""
    if isinstance(value, bool):
        raise ValueError(f"a duration is {_DURATION_SHAPE}, at most {MAX_DURATION_TEXT}")
    if isinstance(value, int):  # compared as an int first: float() of a 400-digit int overflows
        if not 0 <= value <= MAX_DURATION:
            raise ValueError(f"a duration is between 0 and {MAX_DURATION_TEXT}")
        return float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a duration is a finite number between 0 and {MAX_DURATION_TEXT}")
        return _bounded(value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            return _bounded(float(match.group(1)) * _UNIT_SECONDS[match.group(2)])
    shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "..."
    raise ValueError(f"{shown!r} is not a duration: use {_DURATION_SHAPE}, at most {MAX_DURATION_TEXT}")


def format_duration(seconds: float) -> str:
    if seconds == int(seconds):
        return f"{int(seconds)}s"
    return f"{round(seconds * 1000)}ms"


def to_datetime(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


@lru_cache(maxsize=4096)  # pure: a resource's instants are rendered on every read
def rfc3339(ts: float, *, precision: str = "milliseconds") -> str:
    """UTC timestamp with a 'Z' suffix, e.g. 2026-11-22T10:00:00.123Z."""
    return to_datetime(ts).isoformat(timespec=precision).replace("+00:00", "Z")


@lru_cache(maxsize=4096)  # pure: a resource's instants are rendered on every read
def iso_offset(ts: float, *, precision: str = "milliseconds") -> str:
    """UTC timestamp with an explicit '+00:00' offset."""
    return to_datetime(ts).isoformat(timespec=precision)


@lru_cache(maxsize=4096)  # pure: a resource's instants are rendered on every read
def naive_utc(ts: float) -> str:
    """UTC timestamp with no zone designator and microseconds (FastAPI/pydantic style)."""
    return to_datetime(ts).replace(tzinfo=None).isoformat(timespec="microseconds")


def parse_timestamp(value: str) -> float:
    """RFC 3339 / ISO 8601 -> epoch seconds, within MIN_TIMESTAMP..MAX_TIMESTAMP (ValueError outside).

    A timestamp without a zone is taken as UTC.
    """
    text = value.strip()
    if len(text) > 64:
        raise ValueError("a timestamp is at most 64 characters")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return check_timestamp(parsed.timestamp())
    except OverflowError:  # year 1 with a positive offset, say
        raise ValueError(f"a timestamp is {TIMESTAMP_RANGE_TEXT}") from None


def check_timestamp(ts: float) -> float:
    """`ts` itself if it is a virtual instant the simulator can hold, else ValueError."""
    if not (math.isfinite(ts) and MIN_TIMESTAMP <= ts < MAX_TIMESTAMP):
        raise ValueError(f"a timestamp is {TIMESTAMP_RANGE_TEXT}")
    return ts
