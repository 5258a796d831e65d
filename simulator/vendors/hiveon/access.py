"""Who may call the Hiveon API: the X-API-Key header against the scenario's `auth.hiveon`.

The mechanism is INFERRED (reference section 1): `keys` lists the keys with the deployments role
(empty: any non-empty key), `without_role` lists keys that authenticate but lack the role.
"""
from __future__ import annotations

from typing import Any

HEADER = "X-API-Key"


def refusal(key: str | None, auth: dict[str, Any] | None) -> str | None:
    """None when the key may call; otherwise the name of the error (codes.ERROR_CODES)."""
    auth = auth or {}
    if not key:
        return "unauthenticated"
    if key in auth.get("without_role", ()):
        return "permission_denied"
    keys = auth.get("keys")
    if keys and key not in keys:
        return "unauthenticated"
    return None
