"""Who may call the Hiveon API: the X-API-Key header against the scenario's `auth.hiveon`.

The mechanism is INFERRED (reference section 1): `keys` lists the keys with the deployments role
(empty: any non-empty key), `without_role` lists keys that authenticate but lack the role.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...kit.errors import VendorError

HEADER = "X-API-Key"


def check(key: str | None, auth: Mapping[str, Any] | None) -> None:
    """Refuses (codes.ERROR_CODES) a key that may not call; the key is never echoed or kept."""
    auth = auth or {}
    if not key:
        raise VendorError("unauthenticated")
    if key in auth.get("without_role", ()):
        raise VendorError("permission_denied")
    keys = auth.get("keys")
    if keys and key not in keys:
        raise VendorError("unauthenticated")
