"""Local copies that remember what a transaction touched, so only that is compared and written back."""
from __future__ import annotations

from typing import Any

from ..engine.resource import Resource
from ..engine.store import Store


class TrackingStore(Store):
    """The memory store, noting every resource a transaction may have changed: those it looked up,
    listed, put or removed (iterating the whole store, as an export does, notes nothing: each batch
    looks its resources up)."""

    def __init__(self, limit: int | None = None) -> None:
        super().__init__(limit)
        self.touched: set[tuple[str, str, str]] = set()

    def get(self, vendor: str, kind: str, id: str) -> Resource | None:
        found = super().get(vendor, kind, id)
        if found is not None:
            self.touched.add((vendor, kind, id))
        return found

    def put(self, resource: Resource) -> None:
        super().put(resource)
        self.touched.add((resource.vendor, resource.kind, resource.id))

    def remove(self, vendor: str, kind: str, id: str) -> Resource | None:
        old = super().remove(vendor, kind, id)
        if old is not None:
            self.touched.add((vendor, kind, id))
        return old

    def of_kind(self, vendor: str, kind: str) -> list[Resource]:
        found = super().of_kind(vendor, kind)
        self.touched.update((vendor, kind, resource.id) for resource in found)
        return found

    # --- as another process left them: not touched, never refused for capacity -------------------
    def adopt(self, resource: Resource) -> None:
        Store.remove(self, resource.vendor, resource.kind, resource.id)
        limit, self.limit = self.limit, None
        try:
            Store.put(self, resource)
        finally:
            self.limit = limit

    def forget(self, vendor: str, kind: str, id: str) -> None:
        Store.remove(self, vendor, kind, id)

    def peek(self, vendor: str, kind: str, id: str) -> Resource | None:
        return Store.get(self, vendor, kind, id)


class TrackedDict(dict):
    """A vendor index (tx.index) noting the keys read or written: a value read may be changed in
    place (Sparrow appends to a request's list), so read keys are compared at commit too."""

    __slots__ = ("touched",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.touched: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.touched.add(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        self.touched.add(key)
        return dict.get(self, key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.touched.add(key)
        return dict.setdefault(self, key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        self.touched.add(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: str) -> None:
        self.touched.add(key)
        dict.__delitem__(self, key)

    def pop(self, key: str, *default: Any) -> Any:
        self.touched.add(key)
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, Any]:
        key, value = dict.popitem(self)
        self.touched.add(key)
        return key, value

    def update(self, *args: Any, **kwargs: Any) -> None:
        changes = dict(*args, **kwargs)
        self.touched.update(changes)
        dict.update(self, changes)

    def clear(self) -> None:
        self.touched.update(self)
        dict.clear(self)
