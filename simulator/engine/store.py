"""Resources by (vendor, kind, id), indexed per kind so a lookup never scans other resources."""
from __future__ import annotations

from collections.abc import Iterator

from .resource import Resource

Key = tuple[str, str, str]


class CapacityError(Exception):
    """A new resource refused: the namespace already holds its `limit` (vendor-agnostic; each vendor
    answers it in its own envelope)."""

    def __init__(self, limit: int, vendor: str, kind: str) -> None:
        super().__init__(f"this namespace already holds {limit} resources, the most it keeps (--max-resources)")
        self.limit, self.vendor, self.kind = limit, vendor, kind


class Store:
    """Not locked by itself: `Simulation` serialises every read-evaluate-write on it.

    `limit` caps the number of resources (a replacement of an existing id always fits). While a
    savepoint is open every change is logged, so a transaction refused for capacity can be undone.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self._by_kind: dict[tuple[str, str], dict[str, Resource]] = {}
        self._counters: dict[tuple[str, str], int] = {}
        self._count = 0
        self._undo: list[tuple[Key, Resource | None]] | None = None  # (key, what it held before)

    def get(self, vendor: str, kind: str, id: str) -> Resource | None:
        return self._by_kind.get((vendor, kind), {}).get(id)

    def put(self, resource: Resource) -> None:
        bucket = self._by_kind.setdefault((resource.vendor, resource.kind), {})
        old = bucket.get(resource.id)
        if old is None:
            if self.limit is not None and self._count >= self.limit:
                raise CapacityError(self.limit, resource.vendor, resource.kind)
            self._count += 1
        if self._undo is not None:
            self._undo.append(((resource.vendor, resource.kind, resource.id), old))
        bucket[resource.id] = resource

    def remove(self, vendor: str, kind: str, id: str) -> Resource | None:
        old = self._by_kind.get((vendor, kind), {}).pop(id, None)
        if old is not None:
            self._count -= 1
            if self._undo is not None:
                self._undo.append(((vendor, kind, id), old))
        return old

    def count(self, vendor: str, kind: str) -> int:
        return len(self._by_kind.get((vendor, kind), ()))

    def of_kind(self, vendor: str, kind: str) -> list[Resource]:
        return list(self._by_kind.get((vendor, kind), {}).values())

    def __iter__(self) -> Iterator[Resource]:
        for resources in list(self._by_kind.values()):
            yield from list(resources.values())

    def __len__(self) -> int:
        return self._count

    def room(self) -> int | None:
        """How many more resources fit (None: no limit)."""
        return None if self.limit is None else max(0, self.limit - self._count)

    # --- savepoints ------------------------------------------------------------------------------
    def savepoint(self) -> dict[tuple[str, str], int] | None:
        """Start logging changes; the mark is the counters as they were (None if an outer savepoint
        is open already: it covers this one)."""
        if self._undo is not None:
            return None
        self._undo = []
        return dict(self._counters)

    def release(self, mark: dict[tuple[str, str], int] | None) -> None:
        if mark is not None:
            self._undo = None

    def rollback(self, mark: dict[tuple[str, str], int] | None) -> None:
        """Undo every change since `mark` (resources and counters) and stop logging."""
        if mark is None:
            return
        undo, self._undo = self._undo or [], None
        for (vendor, kind, id), old in reversed(undo):
            bucket = self._by_kind.setdefault((vendor, kind), {})
            if bucket.pop(id, None) is not None:
                self._count -= 1
            if old is not None:
                bucket[id] = old
                self._count += 1
        self._counters = mark

    # --- counters --------------------------------------------------------------------------------
    def next_id(self, vendor: str, counter: str, start: int) -> int:
        """Next value of an increasing counter (ids such as Sparrow's analysisId)."""
        key = (vendor, counter)
        value = max(self._counters.get(key, start - 1) + 1, start)
        self._counters[key] = value
        return value

    def bump_counter(self, vendor: str, counter: str, seen: int) -> None:
        """Make sure the counter never hands out `seen` (an id a scenario seeded)."""
        key = (vendor, counter)
        self._counters[key] = max(self._counters.get(key, seen), seen)

    def set_counter(self, vendor: str, counter: str, value: int) -> None:
        """Take a counter's value as another process left it (a shared store)."""
        self._counters[(vendor, counter)] = value

    def restore_counters(self, counters: dict[tuple[str, str], int]) -> None:
        """Put every counter back as `counters()` gave them (an undone transaction of a shared store)."""
        self._counters = dict(counters)

    def counters(self) -> dict[tuple[str, str], int]:
        return dict(self._counters)

    def clear(self) -> None:
        self._by_kind.clear()
        self._counters.clear()
        self._count = 0
