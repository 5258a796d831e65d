"""Where a request finds its simulation."""
from __future__ import annotations

from flask import current_app, g

from ..namespace import Namespace


def runtime():
    return current_app.extensions["simulator"]


def simulation() -> Namespace:
    """The simulation of the request's namespace (see http/namespaces.py)."""
    return g.get("simulation") or runtime().simulation
