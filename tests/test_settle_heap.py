"""settle_heap(): what `simulator serve` calls once start-up is done, so collections skip its objects."""
from __future__ import annotations

import gc

from simulator.http.server import settle_heap


def test_start_up_objects_leave_the_collectors_sight_and_new_ones_do_not():
    survivor = [object() for _ in range(1000)]
    try:
        settle_heap()
        frozen = gc.get_freeze_count()
        assert frozen >= len(survivor)
        assert all(len(gc.get_objects(generation)) < frozen for generation in range(3))
        later = [[] for _ in range(100)]  # objects made after start-up are collected as usual
        assert gc.get_freeze_count() == frozen and any(o is later for o in gc.get_objects())
    finally:
        gc.unfreeze()
