"""Toaster request schemas and scenario sections. Responses: openapi.yaml beside this file."""
from __future__ import annotations

from marshmallow import fields, validate

from simulator.kit.schema import StrictBoolean, StrictInteger, StrictSchema, StrictString

BREADS = ("white", "rye", "sourdough")
LEVEL = validate.Range(min=1, max=10)


class CreateToast(StrictSchema):
    bread = StrictString(required=True, validate=validate.OneOf(BREADS))
    level = StrictInteger(validate=LEVEL)


# --- scenario sections ---------------------------------------------------------------------------

class AuthSettings(StrictSchema):
    keys = fields.List(StrictString(validate=validate.Length(min=1)), load_default=list)


class Settings(StrictSchema):
    default_level = StrictInteger(validate=LEVEL, load_default=3)  # a create without `level`


class ToastFields(StrictSchema):
    bread = StrictString(validate=validate.OneOf(BREADS))
    level = StrictInteger(validate=LEVEL)
    ejected = StrictBoolean()
