"""The namespaces of a shared world: which exist (a sorted set by last use, capped), which have
notifications pending, and dropping one's keys."""
from __future__ import annotations

from collections.abc import Mapping

from ..engine.model import VendorModel
from .connection import StoreUnavailable, connect, key, reaching
from .keys import NAMESPACES, OUTBOX_NAMESPACES
from .world import Scripts, SharedNamespace


class SharedWorld:
    def __init__(self, url: str, vendors: Mapping[str, VendorModel], *, journal_size: int, journal_body_limit: int,
                 max_resources: int | None) -> None:
        self.url = url
        self.client = connect(url)
        self.scripts = Scripts(self.client)
        self._vendors = vendors
        self._options = {"journal_size": journal_size, "journal_body_limit": journal_body_limit,
                         "max_resources": max_resources}

    def check(self) -> None:
        """Fail at start, with the reason, when the store cannot be reached."""
        with reaching():
            self.client.ping()

    def namespace(self, name: str) -> SharedNamespace:
        """This process's copy of a namespace (its state is loaded on its first transaction)."""
        return SharedNamespace(self._vendors, name, client=self.client, scripts=self.scripts, **self._options)

    def evict_beyond(self, limit: int, keep: str) -> list[str]:
        """Drop the least recently used namespaces (never `keep`) while more than `limit` exist."""
        evicted = []
        with reaching():
            while self.client.zcard(NAMESPACES) > limit:
                oldest = [n.decode() for n in self.client.zrange(NAMESPACES, 0, 1)]
                victim = next((n for n in oldest if n != keep), None)
                if victim is None:
                    break
                self.drop(victim)
                evicted.append(victim)
        return evicted

    def drop(self, name: str) -> bool:
        """Delete every key of the namespace (a process holding its copy sets it up afresh)."""
        with reaching():
            existed = bool(self.client.zrem(NAMESPACES, name))
            self.client.srem(OUTBOX_NAMESPACES, name)
            found = list(self.client.scan_iter(match=_escape(key(name, "")) + "*", count=1000))
            if found:
                self.client.unlink(*found)
        return existed or bool(found)

    def summaries(self) -> list[dict[str, object]]:
        """Every namespace of the world, most recently used last, counted in Redis (one round trip
        after the list): no process needs a copy of a namespace to list it."""
        lifecycles = [lc for vendor in self._vendors.values() for lc in vendor.lifecycles]
        with reaching():
            names = [n.decode() for n in self.client.zrange(NAMESPACES, 0, -1)]
            pipe = self.client.pipeline(transaction=False)
            for name in names:
                for lifecycle in lifecycles:
                    pipe.hlen(key(name, "r", lifecycle.vendor, lifecycle.kind))
                pipe.hlen(key(name, "faults", "rules"))
                pipe.xlen(key(name, "journal"))
            counts = pipe.execute()
        step = len(lifecycles) + 2
        return [{"name": name, "resources": sum(counts[i * step:i * step + len(lifecycles)]),
                 "faults": counts[i * step + len(lifecycles)], "requests": counts[i * step + len(lifecycles) + 1]}
                for i, name in enumerate(names)]

    def outbox_names(self) -> list[str]:
        with reaching():
            return sorted(n.decode() for n in self.client.smembers(OUTBOX_NAMESPACES))

    def close(self) -> None:
        self.client.close()


def _escape(pattern: str) -> str:
    """A key taken literally in a SCAN MATCH pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in pattern)


__all__ = ["SharedWorld", "StoreUnavailable"]
