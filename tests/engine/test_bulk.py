"""gc_paused(): what a bulk load piles up is collected once, fully, before the pause ends."""
import gc

from simulator.engine.bulk import PILED_UP, gc_paused


def test_a_large_pile_is_collected_fully_when_the_pause_ends():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        kept = [[i] for i in range(PILED_UP + 10_000)]  # survivors, as a load's resources are
    assert gc.isenabled()
    # A full collection empties every generation's counters; a younger one would leave the oldest
    # generation's count raised, and its next collection would walk the whole pile during requests.
    assert gc.get_count()[1:] == (0, 0)
    assert len(kept) == PILED_UP + 10_000


def test_nested_pauses_end_together_and_a_small_pile_is_left_to_the_collector():
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
        small = [[i] for i in range(100)]
    assert gc.isenabled()
    assert len(small) == 100
