"""flask-smorest's Blueprint, reading JSON bodies the request has already parsed and checked.

The pipeline parses every JSON body once, within the limits of http/bodies.py, before a view
runs; without this, webargs would parse the same body a second time (twice the memory).
A schema given as a class is instantiated once, not on every request as webargs does (building a
schema costs more than loading a query string with it; the vendors' schemas keep no state).
"""
from __future__ import annotations

from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser, is_json_request


class _CheckedJsonParser(FlaskParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[type, ma.Schema] = {}

    def _get_schema(self, argmap, req: flask.Request) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req: flask.Request) -> Any:
        cached = getattr(req, "_cached_json", (Ellipsis, Ellipsis))[0]
        if cached is not Ellipsis and is_json_request(req):
            return cached
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _CheckedJsonParser()
