import random

import pytest

from simulator.traffic.faults import LatencySchema, latency_from


@pytest.mark.parametrize(("spec", "low", "high"), [
    ({"fixed": "100ms"}, 0.1, 0.1),
    ({"uniform": ["50ms", "150ms"]}, 0.05, 0.15),
    ({"lognormal": {"median": "100ms", "sigma": 0.5}}, 0.0, 10.0),
])
def test_latency_draws_stay_in_range_and_repeat_with_a_seed(spec, low, high):
    latency = latency_from(LatencySchema().load(spec))
    first = [latency.draw(random.Random(3)) for _ in range(200)]
    again = [latency.draw(random.Random(3)) for _ in range(200)]
    assert first == again
    assert all(low <= value <= high for value in first)


def test_lognormal_median_is_about_right():
    latency = latency_from(LatencySchema().load({"lognormal": {"median": "100ms", "sigma": 0.5}}))
    rng = random.Random(1)
    draws = sorted(latency.draw(rng) for _ in range(2001))
    assert 0.09 < draws[1000] < 0.11
