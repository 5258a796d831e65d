"""Which namespace a request belongs to: a header, else (with isolation: credential) its key."""
from __future__ import annotations

import hashlib
import re

from flask import Request

from .environ import environ_key

NAMESPACE_HEADER = "X-Simulator-Namespace"
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_CREDENTIAL_HEADERS = ("Authorization", "X-API-Key")


class BadNamespace(ValueError):
    pass


def credential_of(request: Request) -> str | None:
    """The API key or token a request carries, whatever the vendor's header."""
    for header in _CREDENTIAL_HEADERS:
        value = request.headers.get(header, "").strip()
        if value:
            scheme, _, rest = value.partition(" ")
            return rest.strip() if header == "Authorization" and rest.strip() else value
    return None


def credential_namespace(credential: str) -> str:
    """A namespace name for a credential that does not reveal it."""
    return "key-" + hashlib.sha256(credential.encode()).hexdigest()[:16]


_NAMESPACE_ENVIRON = environ_key(NAMESPACE_HEADER)


def namespace_of(request: Request, isolation: str, default: str) -> str:
    explicit = request.environ.get(_NAMESPACE_ENVIRON, "").strip()
    if explicit:
        if not _NAME.match(explicit):
            raise BadNamespace(f"{NAMESPACE_HEADER} must be 1-64 letters, digits, '.', '_' or '-'")
        return explicit
    if isolation == "credential":
        credential = credential_of(request)
        if credential:
            return credential_namespace(credential)
    return default
