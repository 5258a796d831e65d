"""Documents an operation's error statuses in the app's own OpenAPI spec (flask-smorest), so it can
be compared operation by operation with openapi/<vendor>.yaml (tests/conformance)."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_smorest import Blueprint


class ErrorDocs:
    """`docs = ErrorDocs(blp, always=(500,))`, then `@docs(400, 404)` on a view."""

    def __init__(self, blueprint: Blueprint, *, always: Iterable[int] = (),
                 description: str = "An error, in the vendor's envelope") -> None:
        self.blueprint = blueprint
        self.always = tuple(always)
        self.description = description

    def __call__(self, *statuses: int) -> Callable:
        def document(view: Callable) -> Callable:
            for status in dict.fromkeys((*statuses, *self.always)):
                view = self.blueprint.alt_response(status, description=self.description)(view)
            return view

        return document
