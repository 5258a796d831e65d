"""`gc_paused()`: no cyclic garbage collection while a large scenario is parsed, validated and loaded.

Every object a load creates survives it, so each collection the allocations trigger finds nothing,
yet the full ones walk the whole heap: at 100 000 resources they took three quarters of a load's
time. Reference counting still frees everything acyclic meanwhile. Nested and concurrent uses
share one pause; the collector's previous state comes back when the last one ends.

What the pause let pile up is then collected once, there and then (the young generations only: the
load's own garbage). Left to the next requests, their first collections would each walk all of it (a
load of 100 000 resources halved the GET rate measured just after it).

The survivors, though, count as new to the oldest generation, which is walked whole as soon as its
new arrivals reach a quarter of it: the first requests after a load of 30 000 analyses stalled for
110 ms (stop p99 at 64 connections 2.6-3.8 x the baseline's). A full collection inside the load
avoids that but walks every namespace's resources on each load (a 10 000-analysis load next to
60 000 others: 0.34 s -> 0.62 s). So where the process is the simulator's own (`simulator serve`,
which already freezes what start-up built), the survivors are frozen instead: the collector never
walks them again (O(1)). Resources hold no reference cycles, so reference counting still frees them
when their namespace is dropped or reset; the few cyclic objects such a drop leaves behind (about 15
per namespace) would stay frozen, so every FULL_COLLECTION_EVERY-th load unfreezes and collects
everything once: what frozen garbage can pile up stays bounded.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PILED_UP = 100_000  # objects in the youngest generation worth collecting at once (the threshold is 700)
FULL_COLLECTION_EVERY = 32  # frozen loads between two full collections (see the module's docstring)
_lock = threading.Lock()
_holders = 0
_was_enabled = False
_freezing = False
_frozen_loads = 0


def freeze_loads(enabled: bool = True) -> None:
    """Freeze what each large load leaves behind (for a process that is the simulator's own)."""
    global _freezing
    _freezing = enabled


@contextmanager
def gc_paused() -> Iterator[None]:
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
                if gc.get_count()[0] > PILED_UP:
                    _collect_pile()


def _collect_pile() -> None:
    global _frozen_loads
    gc.collect(1)
    if not _freezing:
        return
    _frozen_loads += 1
    if _frozen_loads % FULL_COLLECTION_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
