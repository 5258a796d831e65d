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
import sys
from typing import Any

from ..engine.bulk import gc_paused

MAX_DEPTH = 64  # no vendor body nests deeper than about 6 levels
MAX_CONTAINERS = 100_000  # objects + arrays in one body: a few MB of Python objects at most
MAX_VALUES = 1_000_000  # members and elements in one body: at most ~60 MB of Python objects
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300  # beyond it int() refuses; ranges are the fields' own

_ALL_BUT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_OPENERS = (ord("["), ord("{"))
_QUOTE = ord('"')
LARGE_BODY = 1 << 20  # parsed with the cyclic collector paused: its passes would find nothing to free


def declares_body(environ: dict) -> bool:
    """The request says a body follows: a Content-Length other than 0, or a Transfer-Encoding. Many
    clients send `Content-Length: 0` with a bodiless POST; there is nothing to read then."""
    return environ.get("CONTENT_LENGTH") not in (None, "", "0") or bool(environ.get("HTTP_TRANSFER_ENCODING"))


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
        if len(raw) < LARGE_BODY:
            return json.loads(raw.decode("utf-8"), parse_int=_int, **numbers)
        with gc_paused():
            return json.loads(raw.decode("utf-8"), parse_int=_int, **numbers)
    except BodyProblem:
        raise
    except RecursionError:  # cannot happen below MAX_DEPTH; kept as a limit should the scan be fooled
        raise BodyProblem(f"the body nests objects and arrays deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
        raise NotJSON(str(exc)) from None


def _check_shape(raw: bytes, max_containers: int, max_values: int) -> None:
    # Counts on the raw bytes are upper bounds (what is inside strings counts too), so a body is
    # refused only when even they are over; the depth is then measured exactly on the brackets left
    # once the strings are cut out (both steps at C speed; the walk is over brackets only).
    opened = raw.count(b"[") + raw.count(b"{")
    if raw.count(b",") + raw.count(b":") >= max_values:
        raise BodyProblem(f"the body has more than {max_values} values (commas and colons)")
    if opened > max_containers:
        raise BodyProblem(f"the body has more than {max_containers} objects and arrays (brackets)")
    if opened <= MAX_DEPTH:
        return
    depth, in_string = 0, False
    for char in _structure(raw):
        if char == _QUOTE:
            in_string = not in_string
        elif in_string:
            continue
        elif char in _OPENERS:
            depth += 1
            if depth > MAX_DEPTH:
                raise BodyProblem(f"the body nests objects and arrays deeper than {MAX_DEPTH} levels")
        else:
            depth -= 1


def _structure(raw: bytes) -> bytes:
    """The brackets and string quotes of a JSON text, in order, at C speed: escapes cut out first (so
    every quote left opens or closes a string), then every adjacent pair of quotes (an empty string,
    or one string's end and the next one's start: either way what follows stays in or out of a
    string as it was), which leaves quotes only around strings that hold brackets."""
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    return raw.translate(None, _ALL_BUT_STRUCTURE).replace(b'""', b"")


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
