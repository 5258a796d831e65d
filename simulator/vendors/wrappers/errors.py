"""The service's error envelope: `{"detail": "..."}`, and FastAPI-style 422 validation items.

Validation answers look like pydantic v2 behind FastAPI: `{"detail": [{type, loc, msg, input}]}`
with `loc` starting at "body", "query" or "path". marshmallow's messages are translated here.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Response, request
from werkzeug.exceptions import HTTPException

from ...http.errors import ApiError, json_response, validation_messages
from . import redact
from .codes import HTTP_DETAIL

# marshmallow's default messages -> (pydantic type, pydantic msg). Messages written in the schemas
# as "type|msg" carry their own type.
_PYDANTIC = {
    "Missing data for required field.": ("missing", "Field required"),
    "Field may not be null.": ("none_forbidden", "Input should not be None"),
    "Not a valid string.": ("string_type", "Input should be a valid string"),
    "Not a valid boolean.": ("bool_type", "Input should be a valid boolean"),
    "Not a valid number.": ("float_type", "Input should be a valid number"),
    "Not a valid list.": ("list_type", "Input should be a valid list"),
    "Not a valid mapping type.": ("dict_type", "Input should be a valid dictionary"),
    "Invalid input type.": ("model_attributes_type",
                            "Input should be a valid dictionary or object to extract fields from"),
}
_INTEGER = {
    "body": ("int_type", "Input should be a valid integer"),
    "query": ("int_parsing", "Input should be a valid integer, unable to parse string as an integer"),
}
_LOCATIONS = {"json": "body", "form": "body", "files": "body", "query": "query", "view_args": "path",
              "path": "path", "headers": "header"}
_TAGGED = re.compile(r"^([a-z_]+)\|(.*)$", re.S)
_MISSING = object()


def _type_and_msg(message: str, location: str) -> tuple[str, str]:
    tagged = _TAGGED.match(message)
    if tagged:
        return tagged.group(1), tagged.group(2)
    if message == "Not a valid integer.":
        return _INTEGER.get(location, _INTEGER["body"])
    return _PYDANTIC.get(message, ("value_error", message))


def _raw_input(location: str) -> Any:
    if location == "body":
        if request.mimetype == "multipart/form-data":
            return None  # FastAPI shows no input for a missing form part
        return request.get_json(silent=True)
    if location == "query":
        return request.args.to_dict()
    return request.view_args or {}


def _walk(value: Any, path: list[Any]) -> Any:
    for part in path:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return _MISSING
    return value


def _items(messages: Any, location: str, raw: Any, path: list[Any]) -> list[dict[str, Any]]:
    if isinstance(messages, Mapping):
        items = []
        for key, value in messages.items():
            sub = path if key == "_schema" else path + [key]
            items += _items(value, location, raw, sub)
        return items
    if isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        items = []
        for message in messages:
            kind, msg = _type_and_msg(message, location)
            at = path[:-1] if kind == "missing" else path
            value = _walk(raw, at)
            items.append({"type": kind, "loc": [location, *path], "msg": msg,
                          "input": None if value is _MISSING else redact.value_at(value, at)})
        return items
    if isinstance(messages, list):
        return [item for m in messages for item in _items(m, location, raw, path)]
    return _items([str(messages)], location, raw, path)


def validation_items(messages: Mapping[str, Any]) -> list[dict[str, Any]]:
    """webargs' {location: messages} -> pydantic-style error items."""
    items = []
    for where, nested in messages.items():
        location = _LOCATIONS.get(where, where)
        items += _items(nested, location, _raw_input(location), [])
    return items


def _json_invalid() -> dict[str, Any]:
    return {"type": "json_invalid", "loc": ["body", 0], "msg": "JSON decode error", "input": {},
            "ctx": {"error": "Expecting value"}}


class WrappersErrors:
    def response(self, status: int, code: str, message: str, **extra) -> Response:
        return json_response({"detail": message}, status, extra.get("headers"))

    def error(self, status: int, detail: str, headers: Mapping[str, str] | None = None) -> ApiError:
        return ApiError(json_response({"detail": detail}, status, headers))

    def unprocessable(self, items: list[dict[str, Any]]) -> ApiError:
        return ApiError(json_response({"detail": items}, 422))

    def from_http(self, exc: HTTPException) -> Response:
        status = exc.code or 500
        if status in (400, 422):  # webargs: malformed JSON (400) or a failed validation (422)
            messages = validation_messages(exc)
            if not messages or messages.get("json") == ["Invalid JSON body."]:
                return json_response({"detail": [_json_invalid()]}, 422)
            return json_response({"detail": validation_items(messages)}, 422)
        if status not in HTTP_DETAIL:
            status = 500
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return self.response(status, "", HTTP_DETAIL[status], headers=headers)


ERRORS = WrappersErrors()
