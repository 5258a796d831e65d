"""flask-smorest's Blueprint, reading JSON bodies the request has already parsed and checked.

The pipeline parses every JSON body once, within the limits of http/bodies.py, before a view
runs; without this, webargs would parse the same body a second time (twice the memory).
"""
from __future__ import annotations

from typing import Any

import flask
import flask_smorest
from webargs.flaskparser import FlaskParser, is_json_request


class _CheckedJsonParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request) -> Any:
        cached = getattr(req, "_cached_json", (Ellipsis, Ellipsis))[0]
        if cached is not Ellipsis and is_json_request(req):
            return cached
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _CheckedJsonParser()
