"""The data feed is a function of time: counters, water marks and phase (feed.py)."""
from __future__ import annotations

import pytest

from simulator.vendors.wrappers import feed
from simulator.vendors.wrappers.schemas import FEED_DEFAULTS

T0 = 1_000_000.0
HOUR = 3600.0


def _api(**feed_overrides) -> dict:
    return {"source_type": "API", "feed": {**FEED_DEFAULTS, **feed_overrides}, "totals": feed.empty_totals(),
            "origin": None, "process": None}


def test_no_process_no_data():
    current = feed.derive(_api(), T0)
    assert (current.data_points_count, current.last_data_sent, current.high_water_mark) == (0, None, None)
    assert current.phase == "historical"


def test_batches_every_tick_back_fill_history_then_go_live():
    fields = _api()
    feed.start(fields, T0)
    assert feed.derive(fields, T0 + 4.9).data_points_count == 0  # the first batch comes one tick in
    two = feed.derive(fields, T0 + 10)
    assert (two.data_points_count, two.batches, two.last_data_sent, two.phase) == (20, 2, T0 + 10, "historical")
    assert two.high_water_mark == T0 - HOUR  # newest historical point: one spacing before data first flowed
    assert two.low_water_mark == T0 - 20 * HOUR  # 2 batches x 10 points, one an hour, going back
    five = feed.derive(fields, T0 + 25)
    assert (five.data_points_count, five.phase) == (50, "continuous")
    assert five.high_water_mark == T0 + 25  # live points are stamped up to the moment they are sent
    assert five.low_water_mark == T0 - 30 * HOUR  # history stopped after 3 batches


def test_kill_folds_the_run_and_a_new_run_continues_from_it():
    fields = _api()
    feed.start(fields, T0)
    feed.kill(fields, T0 + 27)  # 5 batches sent; the 6th was not due yet
    stopped = feed.derive(fields, T0 + 500)
    assert (stopped.data_points_count, stopped.last_data_sent, stopped.phase) == (50, T0 + 25, "continuous")
    feed.start(fields, T0 + 600)
    assert feed.derive(fields, T0 + 600) == stopped  # nothing is sent at the restart itself
    later = feed.derive(fields, T0 + 610)
    assert (later.data_points_count, later.high_water_mark, later.low_water_mark) == (70, T0 + 610, T0 - 30 * HOUR)


def test_a_file_run_sends_every_row_at_once_and_again_on_each_run():
    fields = {**_api(file_rows=100), "source_type": "CSV"}
    feed.start(fields, T0)
    assert feed.alive(fields, T0 + 4) and not feed.alive(fields, T0 + 5)  # the one-shot process lives 5 s
    once = feed.derive(fields, T0 + 60)
    assert (once.data_points_count, once.last_data_sent, once.phase) == (100, T0, "historical")
    assert (once.high_water_mark, once.low_water_mark) == (T0 - HOUR, T0 - 100 * HOUR)
    feed.start(fields, T0 + 120)  # folds the first run, then runs the file again
    twice = feed.derive(fields, T0 + 120)
    assert (twice.data_points_count, twice.last_data_sent, twice.low_water_mark) == (200, T0 + 120, T0 - 100 * HOUR)


@pytest.mark.parametrize("lines,expected_first", [(2, "Sent batch 3:"), (10, "Sent batch 1:")])
def test_batch_log_lines_are_the_newest(lines, expected_first):
    fields = _api()
    feed.start(fields, T0)
    found = feed.batch_lines(fields, T0 + 20, lines)
    assert len(found) == min(lines, 4) and found[0][1].startswith(expected_first)
    assert found[-1] == (T0 + 20, "Sent batch 4: 10 data points (continuous)")
