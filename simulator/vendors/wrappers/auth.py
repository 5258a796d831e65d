"""Bearer tokens mapped to roles (reference 2). Reads need any valid token, writes the `admin` role.

The scenario's `auth.wrappers.tokens` maps token -> roles; without it any non-empty bearer token
acts as an admin. Tokens are compared, never stored in a resource or echoed.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request

from ...http.errors import ApiError
from . import codes
from .errors import ERRORS
from .profiles import CODE

ADMIN = "admin"
READ_METHODS = ("GET", "HEAD")  # every other call of this API is an admin route


def failure(header: str | None, config: Mapping[str, Any], need_admin: bool) -> str | None:
    """The name of the codes.AUTH row that refuses the call, or None. Follows FastAPI's HTTPBearer."""
    scheme, _, token = (header or "").partition(" ")
    if not (header and scheme and token):
        return "missing"
    if scheme.lower() != "bearer":
        return "scheme"
    if config.get("provider_down"):
        return "unavailable"
    tokens = config.get("tokens")
    if tokens is None:
        roles: list[str] = [ADMIN]
    elif token not in tokens:
        return "invalid"
    else:
        roles = tokens[token]
    if need_admin and ADMIN not in roles:
        return "not_admin"
    return None


def refusal(name: str, mode: str) -> ApiError:
    entry = codes.AUTH[name]
    status = entry.status if mode == CODE or entry.status == 503 else codes.DOCS_AUTH_STATUS
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return ERRORS.error(status, entry.detail, headers)


def authenticate(config: Mapping[str, Any] | None, mode: str) -> None:
    name = failure(request.headers.get("Authorization"), config or {}, request.method not in READ_METHODS)
    if name is not None:
        raise refusal(name, mode)
