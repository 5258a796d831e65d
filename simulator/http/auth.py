"""Reading credentials from a request. Which credentials are valid is each vendor's rule."""
from __future__ import annotations

from flask import request

from .environ import environ_key


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None if absent or malformed."""
    header = request.environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def header_value(name: str) -> str | None:
    value = request.environ.get(environ_key(name), "").strip()
    return value or None


def key_accepted(key: str | None, allowed: list[str] | None) -> bool:
    """Any non-empty key is accepted unless the scenario lists keys."""
    if not key:
        return False
    return not allowed or key in allowed
