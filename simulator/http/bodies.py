"""JSON request bodies, read defensively before anything else parses them.

Every JSON body passes through `check_json` before a view sees it, so no later parser (webargs,
Flask, the journal) meets a body that could exhaust the stack or the memory: nesting deeper than
MAX_DEPTH, more than MAX_CONTAINERS objects and arrays or MAX_VALUES values, integers of more
digits than Python converts, and non-finite numbers (`NaN`, `Infinity`, `1e400`) are refused with
a message saying which limit was hit. Ranges of single fields are the vendors' schemas' to check.
A body that is not JSON at all is left to the view's own parser, which reports it in the vendor's
usual words. The depth is measured on the raw bytes before parsing, so a body nested 100 000
levels deep costs one linear scan, not a RecursionError.
"""
from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

MAX_DEPTH = 64  # no vendor body nests deeper than about 6 levels
MAX_CONTAINERS = 100_000  # objects + arrays in one body: a few MB of Python objects at most
MAX_VALUES = 1_000_000  # members and elements in one body: at most ~60 MB of Python objects
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300  # beyond it int() refuses; ranges are the fields' own

_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class BodyProblem(ValueError):
    """A body over one of the limits; the message names it."""


class NotJSON(ValueError):
    """Not JSON at all: left for the view's own parser to report in the vendor's usual words."""


def check_json(raw: bytes, *, scale: int = 1, finite: bool = True) -> Any:
    """Parse a JSON body within the limits above (times `scale`); BodyProblem over a limit, NotJSON
    if it is not JSON. With finite=False, NaN and infinities are let through for a schema to name
    the field they are in."""
    _check_shape(raw, MAX_CONTAINERS * scale, MAX_VALUES * scale)
    numbers = {"parse_float": _float, "parse_constant": _constant} if finite else {}
    try:
        return json.loads(raw.decode("utf-8"), parse_int=_int, **numbers)
    except BodyProblem:
        raise
    except RecursionError:  # cannot happen below MAX_DEPTH; kept as a limit should the scan be fooled
        raise BodyProblem(f"the body nests objects and arrays deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
        raise NotJSON(str(exc)) from None


def _check_shape(raw: bytes, max_containers: int, max_values: int) -> None:
    # Counts on the raw bytes are upper bounds (what is inside strings counts too), so a body is
    # refused only when even they are over; the depth is then scanned exactly, strings skipped,
    # in constant memory.
    opened = raw.count(b"[") + raw.count(b"{")
    if raw.count(b",") + raw.count(b":") >= max_values:
        raise BodyProblem(f"the body has more than {max_values} values (commas and colons)")
    if opened > max_containers:
        raise BodyProblem(f"the body has more than {max_containers} objects and arrays (brackets)")
    if opened <= MAX_DEPTH:
        return
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(raw):
        char = match.group()[0]
        if char in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise BodyProblem(f"the body nests objects and arrays deeper than {MAX_DEPTH} levels")
        elif char in b"]}":
            depth -= 1


def _int(text: str) -> int:
    if len(text.lstrip("-")) <= MAX_INT_DIGITS:
        return int(text)
    raise BodyProblem(f"the number {text[:20]}... has {len(text.lstrip('-'))} digits: numbers have at most "
                      f"{MAX_INT_DIGITS}")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BodyProblem(f"the number {text[:24]} is too large to be a finite number")
    return value


def _constant(name: str) -> Any:
    raise BodyProblem(f"{name} is not a JSON number: numbers must be finite")
