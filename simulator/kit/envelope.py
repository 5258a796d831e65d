"""A vendor's error answers. The base builds every one of them from the vendor's code table; a
vendor supplies only the body's shape (`body`) and, where its validation answers differ, `invalid`.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from flask import Response
from werkzeug.exceptions import HTTPException

from ..http.context import simulation
from ..http.errors import json_response
from .codes import ErrorCode
from .errors import VendorError
from .messages import first_message, validation_messages

NOT_JSON = "The request body is not valid JSON."


class Envelope(ABC):
    vendor: ClassVar[str]  # whose scenario settings `body` may read (error_shape switches)
    codes: ClassVar[Mapping[str, ErrorCode]]
    # Generic HTTP errors (no such route, method, body too large, anything unexpected) -> a row.
    http_codes: ClassVar[Mapping[int, str]]
    invalid_code: ClassVar[str]  # the row for a body or query that fails validation

    @abstractmethod
    def body(self, status: int, code: Any, message: str, details: Any, settings: Mapping[str, Any]) -> Any:
        """The vendor's error body; `settings` are its scenario settings (a shape switch, say)."""

    def headers_for(self, status: int) -> Mapping[str, str]:
        """Headers every answer with this status carries (Retry-After on a 503, say)."""
        return {}

    # --- answers -------------------------------------------------------------------------------
    def response(self, status: int, code: Any, message: str, *, details: Any = None,
                 headers: Mapping[str, str] | None = None) -> Response:
        settings = simulation().vendor_settings(self.vendor)
        merged = {**self.headers_for(status), **(headers or {})}
        return json_response(self.body(status, code, message, details, settings), status, merged)

    def error(self, name: str, message: str | None = None, *, details: Any = None,
              headers: Mapping[str, str] | None = None, code: Any = None, **params: Any) -> Response:
        """The answer for a row of the code table."""
        row = self.codes[name]
        text = message if message is not None else row.text(**params)
        return self.response(row.status or 500, row.code if code is None else code, text,
                             details=details, headers=headers)

    def for_error(self, exc: VendorError) -> Response:
        return self.error(exc.name, exc.message, details=exc.details, headers=exc.headers, code=exc.code,
                          **exc.params)

    def invalid(self, messages: Mapping[str, Any]) -> Response:
        """A body or query that fails validation (`messages` empty: the body is not JSON at all)."""
        row = self.codes[self.invalid_code]
        return self.response(row.status or 400, row.code, first_message(messages) if messages else NOT_JSON)

    def from_http(self, exc: HTTPException) -> Response:
        status = exc.code or 500
        if status in (400, 422):
            return self.invalid(validation_messages(exc))
        allow = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return self.error(self.http_codes.get(status) or self.http_codes[500], headers=allow)
