"""What a vendor's model raises to refuse a call. Models know no Flask: the app turns a VendorError
into the envelope of the vendor whose route is answering (Envelope.for_error), in one place."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class VendorError(Exception):
    """A row of the vendor's code table by name, with what this occurrence adds.

    message: replaces the row's text; params: fill the row's template; details: the envelope's
    details, where it has some; headers: added to the answer; code: shown instead of the row's
    code (a variant of one situation).
    """

    def __init__(self, name: str, message: str | None = None, *, details: Any = None,
                 headers: Mapping[str, str] | None = None, code: Any = None, **params: Any) -> None:
        super().__init__(message or name)
        self.name = name
        self.message = message
        self.details = details
        self.headers = dict(headers or {})
        self.code = code
        self.params = params
