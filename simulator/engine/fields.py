"""marshmallow fields for scenario documents and control bodies: durations, timestamps, ids."""
from __future__ import annotations

from marshmallow import ValidationError, fields

from .timefmt import parse_duration, parse_timestamp


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
        return str(value)


class Timestamp(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        if hasattr(value, "timestamp"):  # YAML turns unquoted timestamps into datetimes
            return parse_timestamp(value.isoformat())
        if isinstance(value, str):
            try:
                return parse_timestamp(value)
            except ValueError:
                pass
        raise ValidationError("an RFC 3339 timestamp such as 2026-01-01T00:00:00Z")


class StrictBool(fields.Boolean):
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("true or false")
        return value
