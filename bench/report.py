"""One table of figures, each next to its target (issue 16) with a pass/fail mark, and the same as JSON."""
from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

OPERATORS = {">=": lambda value, limit: value >= limit, "<=": lambda value, limit: value <= limit}


@dataclass
class Row:
    """A figure; `value` is what the target judges (a ratio, seconds, req/s ...). None: not measured."""
    figure: str
    value: float | None
    unit: str = ""
    op: str | None = None  # ">=" or "<="; None: reported without a target
    limit: float | None = None
    simulator: str = ""  # the two sides of a comparison, already formatted
    baseline: str = ""
    note: str = ""
    beyond: bool = False  # `value` is only a bound the step hit: the real figure is larger

    @property
    def verdict(self) -> str:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return "n/a"
        if self.op is None:
            return "-"
        if self.beyond:
            return "FAIL" if self.op == "<=" and self.value > self.limit else "n/a"
        return "pass" if OPERATORS[self.op](self.value, self.limit) else "FAIL"

    @property
    def target(self) -> str:
        return f"{self.op} {fmt(self.limit)}{self.unit}" if self.op else ""

    @property
    def shown(self) -> str:
        return "-" if self.value is None else f"{'> ' if self.beyond else ''}{fmt(self.value)}{self.unit}"


@dataclass
class Report:
    title: str
    context: list[str] = field(default_factory=list)  # lines printed above the table: tool, pinning, load
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def table(self) -> str:
        headers = ("figure", "simulator", "baseline", "result", "target", "", "note")
        lines = [(r.figure, r.simulator, r.baseline, r.shown, r.target, r.verdict, r.note) for r in self.rows]
        if not any(r.simulator or r.baseline for r in self.rows):  # no comparison: drop the two empty columns
            headers = headers[:1] + headers[3:]
            lines = [line[:1] + line[3:] for line in lines]
        widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *lines, strict=True)]
        render = [" | ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                  for line in (headers, *lines)]
        render.insert(1, "-+-".join("-" * width for width in widths))
        failed = sum(r.verdict == "FAIL" for r in self.rows)
        unmeasured = sum(r.verdict == "n/a" for r in self.rows)
        summary = f"{len(self.rows) - failed - unmeasured} of {len(self.rows)} figures meet their target"
        summary += f"; {failed} FAIL" + (f", {unmeasured} not measured" if unmeasured else "")
        return "\n".join([self.title, *self.context, "", *render, "", summary])

    def as_json(self) -> dict:
        return {"title": self.title, "context": self.context,
                "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
                "rows": [{**asdict(r), "target": r.target, "verdict": r.verdict} for r in self.rows]}

    def write_json(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(self.as_json(), indent=2) + "\n")


def fmt(value: float | None) -> str:
    """Three significant figures, thousands with a space: 0.812, 41.3, 1 234."""
    if value is None:
        return "-"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def load_context(when: str = "at the start") -> str:
    """The machine's load average: other processes take CPU from the server and the load generator."""
    if not hasattr(os, "getloadavg"):
        return "load average unknown; absolute figures depend on the machine and its load"
    load = os.getloadavg()
    text = f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} {when}"
    if when == "at the start":
        text += "; absolute figures depend on the machine and its load: compare the ratios"
    return text
