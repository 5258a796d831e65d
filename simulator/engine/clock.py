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
        if speed < 0:
            raise ValueError("speed must be >= 0")
        self._real_time = real_time
        self._lock = threading.Lock()
        self._anchor_real = real_time()
        self._anchor_virtual = self._anchor_real if start is None else float(start)
        self._speed = float(speed)
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
        if seconds < 0:
            raise ValueError("cannot advance by a negative amount")
        with self._lock:
            self._reanchor(self._now_unlocked() + seconds)
            return self._state_unlocked()

    def configure(
        self, *, speed: float | None = None, frozen: bool | None = None, now: float | None = None
    ) -> ClockState:
        if speed is not None and speed < 0:
            raise ValueError("speed must be >= 0")
        with self._lock:
            self._reanchor(self._now_unlocked() if now is None else float(now))
            if speed is not None:
                self._speed = float(speed)
            if frozen is not None:
                self._frozen = bool(frozen)
            return self._state_unlocked()

    def _state_unlocked(self) -> ClockState:
        return ClockState(now=self._now_unlocked(), speed=self._speed, frozen=self._frozen)

    def state(self) -> ClockState:
        with self._lock:
            return self._state_unlocked()
