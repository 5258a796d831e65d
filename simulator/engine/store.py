"""Resources by (vendor, kind, id), indexed per kind so a lookup never scans other resources."""
from __future__ import annotations

from collections.abc import Iterator

from .resource import Resource


class Store:
    """Not locked by itself: `Simulation` serialises every read-evaluate-write on it."""

    def __init__(self) -> None:
        self._by_kind: dict[tuple[str, str], dict[str, Resource]] = {}
        self._counters: dict[tuple[str, str], int] = {}

    def get(self, vendor: str, kind: str, id: str) -> Resource | None:
        return self._by_kind.get((vendor, kind), {}).get(id)

    def put(self, resource: Resource) -> None:
        self._by_kind.setdefault((resource.vendor, resource.kind), {})[resource.id] = resource

    def remove(self, vendor: str, kind: str, id: str) -> Resource | None:
        return self._by_kind.get((vendor, kind), {}).pop(id, None)

    def of_kind(self, vendor: str, kind: str) -> list[Resource]:
        return list(self._by_kind.get((vendor, kind), {}).values())

    def __iter__(self) -> Iterator[Resource]:
        for resources in list(self._by_kind.values()):
            yield from list(resources.values())

    def __len__(self) -> int:
        return sum(len(resources) for resources in self._by_kind.values())

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

    def counters(self) -> dict[tuple[str, str], int]:
        return dict(self._counters)

    def clear(self) -> None:
        self._by_kind.clear()
        self._counters.clear()
