"""The engine's own bounds: durations, timestamps, the clock, the YAML loader, the store's capacity."""
from __future__ import annotations

import math

import pytest

from simulator.engine import Resource, VirtualClock
from simulator.engine.clock import ClockError
from simulator.engine.store import CapacityError, Store
from simulator.engine.timefmt import MAX_DURATION, MAX_TIMESTAMP, parse_duration, parse_timestamp
from simulator.engine.yamlload import MAX_ALIAS_NODES, YamlLimitError, bounded_safe_load


@pytest.mark.parametrize("value", [math.nan, math.inf, -1, 10**400, "9" * 400, "3651d", True, "1e3s"])
def test_a_duration_out_of_range_is_refused(value):
    with pytest.raises(ValueError, match="3650d"):
        parse_duration(value)


@pytest.mark.parametrize(("value", "seconds"), [(0, 0.0), ("3650d", MAX_DURATION), ("1.5m", 90.0), (2, 2.0)])
def test_durations_in_range_parse(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("text", ["1969-12-31T23:59:59Z", "9000-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00"])
def test_a_timestamp_out_of_range_is_refused(text):
    with pytest.raises(ValueError, match="1970-01-01"):
        parse_timestamp(text)


def test_the_clock_refuses_what_it_cannot_hold_and_stays_as_it_was():
    clock = VirtualClock(start=1000.0, frozen=True)
    for change in (lambda: clock.advance(math.nan), lambda: clock.advance(-1), lambda: clock.advance(MAX_DURATION + 1),
                   lambda: clock.configure(speed=0), lambda: clock.configure(speed=math.inf),
                   lambda: clock.configure(now=math.nan), lambda: clock.configure(now=-1.0)):
        with pytest.raises(ClockError):
            change()
    assert clock.state().now == 1000.0 and clock.state().speed == 1.0
    clock.configure(now=MAX_TIMESTAMP - 10)
    with pytest.raises(ClockError, match="9000-01-01"):
        clock.advance(10)
    assert clock.now() == MAX_TIMESTAMP - 10


def test_aliases_within_the_limit_load_and_beyond_it_are_refused():
    shared = "[" + ", ".join(["x"] * 99) + "]"  # 100 nodes; each alias to it adds 100
    fits = "a: &a " + shared + "\nb: [" + ", ".join(["*a"] * (MAX_ALIAS_NODES // 100)) + "]\n"
    assert len(bounded_safe_load(fits)["b"]) == MAX_ALIAS_NODES // 100
    with pytest.raises(YamlLimitError, match="alias"):
        bounded_safe_load(fits.replace("b: [", "b: [*a, "))


def _resource(id: str, kind: str = "analysis") -> Resource:
    return Resource(vendor="v", kind=kind, id=id, state="S", entered_at=0.0, created_at=0.0)


def test_the_store_refuses_a_new_resource_beyond_its_limit_but_replaces_freely():
    store = Store(limit=2)
    store.put(_resource("1"))
    store.put(_resource("2"))
    store.put(_resource("2"))  # a replacement fits
    with pytest.raises(CapacityError):
        store.put(_resource("3"))
    store.remove("v", "analysis", "1")
    store.put(_resource("3"))
    assert sorted(r.id for r in store) == ["2", "3"] and len(store) == 2


def test_a_rolled_back_savepoint_restores_resources_and_counters():
    store = Store(limit=3)
    kept = _resource("1")
    store.put(kept)
    store.next_id("v", "n", 1)
    mark = store.savepoint()
    store.next_id("v", "n", 1)
    store.remove("v", "analysis", "1")
    store.put(_resource("1"))
    store.put(_resource("2", kind="other"))
    assert store.savepoint() is None  # nested: the outer one covers it
    store.rollback(mark)
    assert list(store) == [kept] and len(store) == 1
    assert store.counters() == {("v", "n"): 1}


def test_speed_0_on_the_command_line_starts_frozen():
    from simulator.app import create_app
    from simulator.settings import Settings

    clock = create_app(Settings(speed=0)).test_client().get("/_simulator/clock").get_json()
    assert clock["frozen"] is True and clock["speed"] == 1.0
