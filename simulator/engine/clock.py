"""The virtual clock: the only source of "now" in the simulator.

now = anchor_virtual + (real_now - anchor_real) * speed, unless frozen. Every change of
speed, freeze or time re-anchors, so the virtual time never jumps except through
`advance` or an explicit `set`.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .timefmt import MAX_DURATION, MAX_DURATION_TEXT, MAX_TIMESTAMP, TIMESTAMP_RANGE_TEXT, check_timestamp

# Virtual seconds per real second: above zero (`frozen` stops time) and at most a million
# (11.5 virtual days per real second), so "now" stays far from the year-9000 bound in any test run.
MAX_SPEED = 1e6
SPEED_RANGE_TEXT = "(0, 1000000]"


class ClockError(ValueError):
    """A clock change refused; the clock is left as it was."""


def check_speed(speed: float) -> float:
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 < speed <= MAX_SPEED:
        raise ClockError(f"speed must be a finite number in {SPEED_RANGE_TEXT}")
    return float(speed)


@dataclass(frozen=True)
class ClockState:
    now: float
    speed: float
    frozen: bool


def real_now() -> float:
    """Wall-clock time, for the journal's second timestamp only; simulated time is VirtualClock's."""
    return time.time()


class VirtualClock:
    def __init__(
        self,
        *,
        speed: float = 1.0,
        frozen: bool = False,
        start: float | None = None,
        real_time: Callable[[], float] = time.time,
    ) -> None:
        self._real_time = real_time
        self._lock = threading.Lock()
        self._anchor_real = real_time()
        self._anchor_virtual = self._anchor_real if start is None else _instant(start)
        self._speed = check_speed(speed)
        self._frozen = bool(frozen)

    def _now_unlocked(self) -> float:
        if self._frozen:
            return self._anchor_virtual
        return self._anchor_virtual + (self._real_time() - self._anchor_real) * self._speed

    def _reanchor(self, virtual_now: float) -> None:
        self._anchor_real = self._real_time()
        self._anchor_virtual = virtual_now

    def now(self) -> float:
        with self._lock:
            return self._now_unlocked()

    def advance(self, seconds: float) -> ClockState:
        if not (isinstance(seconds, (int, float)) and 0 <= seconds <= MAX_DURATION):
            raise ClockError(f"seconds must be a finite number between 0 and {MAX_DURATION_TEXT}")
        with self._lock:
            target = self._now_unlocked() + seconds
            if not target < MAX_TIMESTAMP:
                raise ClockError(f"advancing {seconds:g} s would take the clock past 9000-01-01; "
                                 f"virtual time is {TIMESTAMP_RANGE_TEXT}")
            self._reanchor(target)
            return self._state_unlocked()

    def configure(
        self, *, speed: float | None = None, frozen: bool | None = None, now: float | None = None
    ) -> ClockState:
        speed = None if speed is None else check_speed(speed)
        now = None if now is None else _instant(now)
        with self._lock:  # everything is checked above: a refused change leaves the clock untouched
            self._reanchor(self._now_unlocked() if now is None else now)
            if speed is not None:
                self._speed = speed
            if frozen is not None:
                self._frozen = bool(frozen)
            return self._state_unlocked()

    def _state_unlocked(self) -> ClockState:
        return ClockState(now=self._now_unlocked(), speed=self._speed, frozen=self._frozen)

    def anchors(self) -> tuple[float, float, float, bool]:
        """(real, virtual, speed, frozen): everything that defines the clock, to share or restore."""
        with self._lock:
            return (self._anchor_real, self._anchor_virtual, self._speed, self._frozen)

    def restore(self, anchors: tuple[float, float, float, bool]) -> None:
        with self._lock:
            self._anchor_real, self._anchor_virtual, self._speed, self._frozen = anchors

    def state(self) -> ClockState:
        with self._lock:
            return self._state_unlocked()


def _instant(value: float) -> float:
    try:
        return check_timestamp(float(value))
    except (ValueError, OverflowError):
        raise ClockError(f"now must be {TIMESTAMP_RANGE_TEXT}") from None
