import pytest

from simulator.engine import VirtualClock


class FakeRealTime:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_runs_at_real_speed_by_default():
    real = FakeRealTime()
    clock = VirtualClock(real_time=real, start=0)
    real.now += 3
    assert clock.now() == pytest.approx(3)


def test_speed_multiplies_real_time_and_changing_it_does_not_jump():
    real = FakeRealTime()
    clock = VirtualClock(real_time=real, start=0, speed=10)
    real.now += 2
    assert clock.now() == pytest.approx(20)
    clock.configure(speed=1)
    assert clock.now() == pytest.approx(20)
    real.now += 2
    assert clock.now() == pytest.approx(22)


def test_frozen_clock_moves_only_when_advanced():
    real = FakeRealTime()
    clock = VirtualClock(real_time=real, start=100, frozen=True)
    real.now += 50
    assert clock.now() == 100
    state = clock.advance(30)
    assert state.now == 130 and state.frozen
    real.now += 50
    assert clock.now() == 130


def test_unfreezing_resumes_from_the_frozen_time():
    real = FakeRealTime()
    clock = VirtualClock(real_time=real, start=0, frozen=True)
    real.now += 100
    clock.configure(frozen=False)
    real.now += 1
    assert clock.now() == pytest.approx(1)


def test_set_now_and_reject_bad_values():
    real = FakeRealTime()
    clock = VirtualClock(real_time=real, start=0)
    clock.configure(now=5000)
    assert clock.now() == pytest.approx(5000)
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.configure(speed=-2)
