"""Where a request finds its simulation."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask.globals import _cv_app

from ..namespace import Namespace


def runtime():
    return current_app.extensions["simulator"]


def request_global(name: str) -> Any:
    """flask.g.get(name), read from the app context directly: this runs several times a request,
    and flask.g's proxy costs two lookups more each time. None outside an app context."""
    context = _cv_app.get(None)
    return None if context is None else context.g.__dict__.get(name)


def request_simulation() -> Namespace | None:
    """The simulation the pipeline chose for this request, None outside it (an app without the
    simulator's pipeline)."""
    return request_global("simulation")


def simulation() -> Namespace:
    """The simulation of the request's namespace (see http/namespaces.py)."""
    return request_simulation() or runtime().simulation
