"""Strict schemas: unknown fields refused, and fields as strict as JSON Schema (no coercion of "1"
to 1 or "yes" to true). Flask-free: the engine and the control API use them too."""
from __future__ import annotations

import numbers

from marshmallow import RAISE, Schema, ValidationError, fields

INT64_MAX = 2**63 - 1  # Java's long, Go's int64: the vendors' servers refuse larger integers


class StrictSchema(Schema):
    """A schema that refuses fields it does not declare, as the vendors' servers do."""

    class Meta:
        unknown = RAISE


class StrictBoolean(fields.Boolean):
    default_error_messages = {"invalid": "Not a valid boolean."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(fields.Integer):
    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            if isinstance(value, float) and value.is_integer():
                return int(value)  # JSON Schema counts 2.0 as an integer
            raise ValidationError("Not a valid integer.")
        return int(value)


class StrictNumber(fields.Float):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValidationError("Not a valid number.")
        return float(value)


class StrictString(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Not a valid string.")
        return value
