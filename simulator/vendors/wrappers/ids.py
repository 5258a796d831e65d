"""Identifiers (reference section 8): lower-case UUIDv4 for wrappers and files, ObjectId for resources.

They come from per-kind counters, so a run of the same requests after a reset gets the same ids.
"""
from __future__ import annotations

import hashlib
import re
import uuid

from ...engine import Transaction

VENDOR = "wrappers"
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")


def new_uuid(tx: Transaction, kind: str) -> str:
    number = tx.next_id(VENDOR, kind)
    digest = hashlib.sha256(f"{VENDOR}:{kind}:{number}".encode()).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))


def new_object_id(tx: Transaction) -> str:
    """24 hex digits like a MongoDB ObjectId: creation second, then a counter."""
    return f"{int(tx.now) & 0xFFFFFFFF:08x}{tx.next_id(VENDOR, 'resource'):016x}"


def is_object_id(text: str) -> bool:
    return bool(_OBJECT_ID.match(text))
