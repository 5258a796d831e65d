"""The toast lifecycle: toasting -> done after a while, or at once when ejected."""
from __future__ import annotations

from simulator.engine import Lifecycle, Move, Reject, Resource, Timed

TOAST_SECONDS = 60.0  # a scenario's `timing: {toaster.toast: {toasting: N}}` overrides it


def _ejected(resource: Resource, at: float, params) -> None:
    resource.fields["ejected"] = True  # an effect: run as `done` is entered by this move


TOAST = Lifecycle(
    vendor="toaster",
    kind="toast",
    states=("toasting", "done"),
    initial="toasting",
    timed={"toasting": Timed("done", TOAST_SECONDS)},
    actions={
        "eject": {
            "toasting": Move("done", effect=_ejected),
            "done": Reject("already_done"),  # a row of codes.ERROR_CODES: the app answers it (409)
        },
    },
)
