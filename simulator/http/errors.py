"""Errors as responses. A vendor builds its envelope; raising `ApiError` sends it as it is."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Response
from flask.json.provider import _default as flask_default  # dates, UUIDs, decimals, dataclasses

_encode = json.JSONEncoder(default=flask_default, ensure_ascii=True).encode
encode_json = _encode  # the text json_response sends, for a body written in pieces


class ApiError(Exception):
    """Carries a finished response (already in the vendor's envelope) out of a handler."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = Response(_encode(body), status=status, mimetype="application/json")
    if headers:
        for name, value in headers.items():
            response.headers[name] = value
    return response


def validation_messages(exc: Exception) -> Any:
    """webargs' messages from flask-smorest's 422 abort: {location: {field: [msg]}}."""
    data = getattr(exc, "data", None) or {}
    return data.get("messages") or {}


def first_message(messages: Any, path: str = "") -> str:
    """A one-line 'field: problem' summary of nested webargs/marshmallow messages."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "path", "headers", "form", "files", "_schema"):
                return first_message(value, path)
            return first_message(value, f"{path}.{key}" if path else str(key))
    if isinstance(messages, list) and messages:
        return first_message(messages[0], path)
    text = str(messages) if messages else "invalid request"
    return f"{path}: {text}" if path else text
