"""A wrapper's process and the data it sends, derived from time (reference section 6).

Nothing ticks. A wrapper's fields hold its feed parameters (`feed`), the totals carried over from
earlier runs (`totals`, `origin`) and its current process (`process`: when it started, in which
mode). Counters, water marks and phase are computed from those and "now" whenever they are read;
stopping a process folds its run into `totals`, so an execute continues from them.

Data point times (INFERRED): the first `historical_batches` batches back-fill history before the
moment data first flowed (`origin`), newest first, one point every `point_spacing`; after them
every batch carries points stamped within its tick, ending at the moment it is sent. A CSV/XLSX run
sends its `file_rows` rows of history at once, when its process starts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

CONTINUOUS = "continuous"  # API: runs until stopped, a batch every tick
ONCE = "once"  # CSV/XLSX: one run that sends every row, then exits
EPSILON = 1e-9


@dataclass(frozen=True)
class Feed:
    data_points_count: int
    batches: int
    last_data_sent: float | None
    high_water_mark: float | None
    low_water_mark: float | None
    phase: str


def empty_totals() -> dict[str, Any]:
    return {"batches": 0, "count": 0, "last_sent": None, "high": None, "low": None}


def mode_of(source_type: str) -> str:
    return CONTINUOUS if source_type == "API" else ONCE


def start(fields: dict[str, Any], at: float, *, hang: bool = False) -> None:
    """Start a process at virtual time `at`; an earlier run is folded into the totals first."""
    kill(fields, at)
    fields["process"] = {"started_at": at, "mode": mode_of(fields["source_type"]), "hang": hang}
    if fields.get("origin") is None:
        fields["origin"] = at


def alive(fields: dict[str, Any], now: float) -> bool:
    process = fields.get("process")
    if not process:
        return False
    if process["mode"] == CONTINUOUS or process.get("hang"):
        return True
    return now < process["started_at"] + fields["feed"]["one_shot_run"]


def kill(fields: dict[str, Any], at: float) -> None:
    """End the current process at `at`, folding what it sent into the carried totals."""
    if not fields.get("process"):
        return
    current = derive(fields, at)
    fields["totals"] = {"batches": current.batches, "count": current.data_points_count,
                        "last_sent": current.last_data_sent, "high": current.high_water_mark,
                        "low": current.low_water_mark}
    fields["process"] = None


def _max(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _min(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def derive(fields: dict[str, Any], now: float) -> Feed:
    """Counters, water marks and phase as of `now`."""
    feed = fields["feed"]
    totals = fields.get("totals") or empty_totals()
    process = fields.get("process")
    mode = mode_of(fields["source_type"])
    batches, count = totals["batches"], totals["count"]
    last, high, low = totals["last_sent"], totals["high"], totals["low"]
    if process and now >= process["started_at"]:
        origin, started = fields["origin"], process["started_at"]
        spacing = feed["point_spacing"]
        if mode == ONCE:
            rows = feed["file_rows"]
            batches, count, last = batches + 1, count + rows, started
            if rows:
                high, low = _max(high, origin - spacing), _min(low, origin - rows * spacing)
        else:
            tick, size, history = feed["tick"], feed["batch_size"], feed["historical_batches"]
            sent = math.floor((now - started) / tick + EPSILON)
            if sent > 0:
                historical = max(0, min(batches + sent, history) - batches)
                if historical:
                    high = _max(high, origin - (batches * size + 1) * spacing)
                    low = _min(low, origin - (batches + historical) * size * spacing)
                if sent > historical:
                    first_live = started + (historical + 1) * tick
                    high = _max(high, started + sent * tick)
                    low = _min(low, first_live - (size - 1) * tick / size)
                batches, count, last = batches + sent, count + sent * size, started + sent * tick
    if mode == ONCE:
        phase = "historical"
    else:
        phase = "continuous" if batches >= fields["feed"]["historical_batches"] else "historical"
    return Feed(count, batches, last, high, low, phase)


def batch_lines(fields: dict[str, Any], now: float, limit: int) -> list[tuple[float, str]]:
    """The last `limit` batches the current continuous process has sent, as (time, log text)."""
    process = fields.get("process")
    if not process or process["mode"] != CONTINUOUS or limit <= 0 or now < process["started_at"]:
        return []
    feed = fields["feed"]
    tick, size = feed["tick"], feed["batch_size"]
    before = (fields.get("totals") or empty_totals())["batches"]
    sent = math.floor((now - process["started_at"]) / tick + EPSILON)
    lines = []
    for index in range(max(0, sent - limit), sent):
        number = before + index + 1
        phase = "historical" if number <= feed["historical_batches"] else "continuous"
        lines.append((process["started_at"] + (index + 1) * tick, f"Sent batch {number}: {size} data points ({phase})"))
    return lines
