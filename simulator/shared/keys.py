"""The Redis keys of a shared world, and the identities (lease tokens, queue members) it hands out."""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable

from .connection import key

NAMESPACES = "sim:namespaces"  # every namespace, scored by its last use (Redis time)
OUTBOX_NAMESPACES = "sim:outbox-namespaces"  # namespaces with notifications or wake-ups pending
PROCESS = uuid.uuid4().hex  # with a serial, a token or member no other process (or call) has
_SERIALS = itertools.count(1)  # next() on a count is atomic under the GIL


def unique() -> str:
    return f"{PROCESS}:{next(_SERIALS)}"


class NamespaceKeys:
    """The Redis keys of one namespace."""

    def __init__(self, namespace: str, lifecycles: Iterable, vendors: Iterable[str]) -> None:
        self.namespace = namespace
        self.meta = key(namespace, "meta")
        self.lock = key(namespace, "lock")
        self.changes = key(namespace, "changes")
        self.counters = key(namespace, "counters")
        self.indexes = key(namespace, "indexes")
        self.delivery = key(namespace, "delivery")
        self.notifications = key(namespace, "outbox", "notifications")
        self.wakeups = key(namespace, "outbox", "wakeups")
        self.resources = {(lc.vendor, lc.kind): key(namespace, "r", lc.vendor, lc.kind) for lc in lifecycles}
        self.kind_of = {hash_key: kind for kind, hash_key in self.resources.items()}
        self.index_prefix = key(namespace, "i") + ":"
        self.values_prefix = key(namespace, "v") + ":"
        self._vendors = list(vendors)

    def index(self, vendor: str, name: str) -> str:
        return f"{self.index_prefix}{vendor}:{name}"

    def values(self, vendor: str) -> str:
        return self.values_prefix + vendor

    def world(self, indexes: Iterable[tuple[str, str]]) -> list[str]:
        """Every key of the namespace's resources and of these (vendor, name) indexes (the lock, meta
        and log stay)."""
        return [self.counters, self.indexes, self.notifications, self.wakeups, *self.resources.values(),
                *(self.values(vendor) for vendor in self._vendors),
                *(self.index(vendor, name) for vendor, name in indexes)]
