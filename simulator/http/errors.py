"""Errors as responses. The control API raises `ApiError` with a finished response; vendors raise
kit.errors.VendorError, which the app answers in their envelope."""
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


def empty_response(status: int = 200) -> Response:
    """A response with no body and no Content-Type, as servers send for a bodiless 200."""
    response = Response(b"", status=status)
    del response.headers["Content-Type"]
    return response
