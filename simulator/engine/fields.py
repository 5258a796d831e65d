"""marshmallow fields for scenario documents and control bodies: durations, timestamps, ids, numbers.

Every number is checked for range here, before anything is changed: NaN, infinities and
integers of hundreds of digits never reach the clock or a timer.
"""
from __future__ import annotations

import math

from marshmallow import ValidationError, fields

from ..kit.schema import StrictBoolean
from .timefmt import TIMESTAMP_RANGE_TEXT, parse_duration, parse_timestamp

MAX_ID_LENGTH = 256


class Duration(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class Identifier(fields.Field):
    """An id written as a string or a whole number; always kept as a string."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
            raise ValidationError("an id is a non-empty string or a whole number")
        if isinstance(value, int) and abs(value) >= 10**18:
            raise ValidationError("an id written as a number has at most 18 digits")
        if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
            raise ValidationError(f"an id is at most {MAX_ID_LENGTH} characters")
        return str(value)


class Timestamp(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        text = value.isoformat() if hasattr(value, "timestamp") else value  # YAML reads unquoted ones as datetimes
        if isinstance(text, str):
            try:
                return parse_timestamp(text)
            except ValueError:
                pass
        raise ValidationError(f"an RFC 3339 timestamp such as 2026-01-01T00:00:00Z, {TIMESTAMP_RANGE_TEXT}")


class BoundedNumber(fields.Field):
    """A finite JSON/YAML number (not a bool, not a string) within [low, high]; `low_open` excludes low."""

    def __init__(self, low: float, high: float, *, low_open: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.low, self.high, self.low_open = low, high, low_open

    def _range(self) -> str:
        return f"{'(' if self.low_open else '['}{self.low:g}, {self.high:g}]"

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(f"a number in {self._range()}")
        # ints are compared as ints: float() of a 400-digit integer overflows
        too_low = value <= self.low if self.low_open else value < self.low
        if (isinstance(value, float) and not math.isfinite(value)) or too_low or value > self.high:
            raise ValidationError(f"must be a finite number in {self._range()}")
        return float(value)


class StrictBool(StrictBoolean):
    default_error_messages = {"invalid": "true or false"}


# A resource's free-form `fields`: generous for any vendor record, small against a hostile document.
MAX_FIELDS_DEPTH = 32
MAX_FIELDS_VALUES = 10_000
MAX_FIELDS_TEXT = 1024 * 1024  # characters of all keys and strings together


class FreeForm(fields.Dict):
    """A mapping of plain data, bounded in depth, in number of values and in text."""

    def __init__(self, **kwargs) -> None:
        super().__init__(keys=fields.String(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        problem = free_form_problem(result)
        if problem:
            raise ValidationError(problem)
        return result


def free_form_problem(value) -> str | None:
    """Why `value` is beyond the free-form bounds, or None. An iterative walk that stops at the first excess."""
    if type(value) is dict and len(value) < MAX_FIELDS_VALUES:
        # flat (the common `{toolType: SAST}`): within bounds unless its text is too long
        flat_text = 0
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                break
            if isinstance(key, str):
                flat_text += len(key)
            if isinstance(item, str):
                flat_text += len(item)
        else:
            if flat_text <= MAX_FIELDS_TEXT:
                return None
    count, text = 0, 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > MAX_FIELDS_VALUES:
            return f"at most {MAX_FIELDS_VALUES} values in all"
        if isinstance(item, dict) or isinstance(item, list):
            if depth > MAX_FIELDS_DEPTH:
                return f"nested at most {MAX_FIELDS_DEPTH} levels deep"
            if isinstance(item, dict):
                text += sum(len(key) for key in item if isinstance(key, str))
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            text += len(item)
        if text > MAX_FIELDS_TEXT:
            return f"at most {MAX_FIELDS_TEXT} characters of keys and strings in all"
    return None
