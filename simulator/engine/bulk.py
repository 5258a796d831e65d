"""`gc_paused()`: no cyclic garbage collection while a large scenario is parsed, validated and loaded.

Every object a load creates survives it, so each collection the allocations trigger finds nothing,
yet the full ones walk the whole heap: at 100 000 resources they took three quarters of a load's
time. Reference counting still frees everything acyclic meanwhile. Nested and concurrent uses
share one pause; the collector's previous state comes back when the last one ends.

What the pause let pile up must not be left to the next requests: their first collections would
each walk all of it (a load of 100 000 resources halved the GET rate measured just after it). Where
the process is the simulator's own (`simulator serve`, which already freezes what start-up built),
the pile is frozen (O(1)): the collector never walks it again. Elsewhere (an app in a test process)
the young generations are collected there and then.

Why not collect in serve too: the young collection finds next to nothing (73 objects after a 10 000-
analysis load) yet took 50-70 ms, a sixth of the load; and its survivors count as new to the oldest
generation, which is walked whole as soon as its new arrivals reach a quarter of it: the first
requests after a load of 30 000 analyses stalled for 110 ms (stop p99 at 64 connections 2.6-3.8 x the
baseline's, 1.3 x frozen). A full collection instead walks every namespace on each load (a 10 000-
analysis load next to 60 000 others: 0.34 s -> 0.62 s). Frozen objects are still freed by reference
counting (resources hold no cycles; Flask breaks the request's own at its end), so a dropped or reset
namespace's resources go as before; the little cyclic garbage a freeze catches (the load's, a dropped
namespace's ~15 objects) is reclaimed by the full collection every FULL_COLLECTION_EVERY-th frozen
pile does: what frozen garbage can pile up stays bounded.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PILED_UP = 100_000  # objects in the youngest generation worth collecting at once (the threshold is 700)
FULL_COLLECTION_EVERY = 32  # frozen piles between two full collections (see the module's docstring)
_lock = threading.Lock()
_holders = 0
_was_enabled = False
_freezing = False
_frozen_piles = 0


def freeze_loads(enabled: bool = True) -> None:
    """Freeze what each large load piles up instead of collecting it (a process that is the simulator's own)."""
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
    global _frozen_piles
    if not _freezing:
        gc.collect(1)
        return
    _frozen_piles += 1
    if _frozen_piles % FULL_COLLECTION_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
