"""gc_paused(): what a bulk load piles up is collected once when the pause ends; in a process that
is the simulator's own (freeze_loads), the pile is frozen instead, and frozen garbage stays bounded."""
import gc
import weakref

import pytest

from simulator.engine import bulk
from simulator.engine.bulk import gc_paused


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture
def small_piles(monkeypatch):
    monkeypatch.setattr(bulk, "PILED_UP", 2_000)
    monkeypatch.setattr(bulk, "FULL_COLLECTION_EVERY", 3)
    monkeypatch.setattr(bulk, "_frozen_piles", 0)
    yield
    bulk.freeze_loads(False)
    gc.unfreeze()


def load(kept: list) -> None:
    with gc_paused():
        assert not gc.isenabled()
        kept.extend([i] for i in range(5_000))  # survivors, as a load's resources are


def test_the_pile_is_collected_when_the_pause_ends_and_nothing_is_frozen_by_default(small_piles):
    before = gc.get_freeze_count()
    garbage = Node()
    witness = weakref.ref(garbage)
    del garbage
    kept: list = []
    load(kept)
    assert gc.isenabled()
    assert witness() is None  # the young generations were collected
    assert gc.get_count()[0] < 100
    assert gc.get_freeze_count() == before


def test_a_frozen_load_keeps_its_pile_away_from_the_collector(small_piles):
    bulk.freeze_loads()
    kept: list = []
    load(kept)
    assert gc.get_freeze_count() >= len(kept)
    assert gc.get_count() == (0, 0, 0)  # nothing left for the next requests' collections to walk


def test_garbage_frozen_by_a_load_is_reclaimed_by_the_periodic_full_collection(small_piles):
    bulk.freeze_loads()
    cycle, garbage = Node(), Node()
    alive, dead = weakref.ref(cycle), weakref.ref(garbage)
    del garbage  # already garbage when the load ends: frozen with the pile all the same
    kept: list = []
    load(kept)  # `cycle`, still alive, is frozen too
    del cycle
    load(kept)
    gc.collect()
    assert alive() is not None and dead() is not None  # frozen: no ordinary collection sees them
    load(kept)  # the third frozen pile: unfreeze, collect everything, freeze again
    assert alive() is None and dead() is None


def test_nested_pauses_end_together():
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
