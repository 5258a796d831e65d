"""Where a request finds its simulation."""
from __future__ import annotations

from flask import current_app

from ..engine import Simulation


def runtime():
    return current_app.extensions["simulator"]


def simulation() -> Simulation:
    return runtime().simulation
