"""flask-smorest's Blueprint, reading JSON bodies the request has already parsed and checked.

The pipeline parses every JSON body once, within the limits of http/bodies.py, before a view
runs; without this, webargs would parse the same body a second time (twice the memory).
A schema given as a class is instantiated once, not on every request as webargs does (building a
schema costs more than loading a query string with it; the vendors' schemas keep no state).
An empty query string loads to the same defaults every time, so those are loaded once per schema
when nothing but plain field defaults can take part (no hooks, no callable defaults, scalar values);
afterwards a request without a query string gets them without going through flask-smorest's and
webargs' wrappers at all.

flask-smorest wraps a view once per `alt_response` and once per `response`; each layer costs a call
and an ensure_sync on every request. `alt_response` only documents, so here it keeps the
documentation and leaves the view as it is; a schema-less `response` returns a view's Response
untouched, so only other results (a tuple, a dict) go through flask-smorest's handling.
"""
from __future__ import annotations

from functools import wraps
from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser, is_json_request

from .context import request_simulation


class _CheckedJsonParser(FlaskParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[type, ma.Schema] = {}
        self._empty_queries: dict[ma.Schema, dict | None] = {}

    def _get_schema(self, argmap, req: flask.Request) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)

    def _process_location_data(self, location_data, schema, req, location, unknown, validators):
        if location != "query" or validators or req.environ.get("QUERY_STRING"):
            return super()._process_location_data(location_data, schema, req, location, unknown, validators)
        loaded = self._empty_queries.get(schema, ...)
        if loaded is ...:
            loaded = super()._process_location_data(location_data, schema, req, location, unknown, validators)
            self._empty_queries[schema] = dict(loaded) if _same_every_time(schema, loaded) else None
            return loaded
        if loaded is None:
            return super()._process_location_data(location_data, schema, req, location, unknown, validators)
        return dict(loaded)

    def empty_query(self, schema_class: type) -> dict | None:
        """What an empty query string loads to with this schema, once a request has loaded one and
        it is the same every time (a copy each time); None otherwise."""
        schema = self._schemas.get(schema_class)
        loaded = None if schema is None else self._empty_queries.get(schema)
        return None if loaded is None else dict(loaded)

    def _raw_load_json(self, req: flask.Request) -> Any:
        cached = getattr(req, "_cached_json", (Ellipsis, Ellipsis))[0]
        if cached is not Ellipsis and is_json_request(req):
            return cached
        return super()._raw_load_json(req)


_SCALARS = (str, int, float, bool, type(None))


def _same_every_time(schema: ma.Schema, loaded: Any) -> bool:
    """Whether loading an empty query with `schema` gives `loaded` again, whatever the request."""
    return (type(loaded) is dict and not schema.many and not any(schema._hooks.values())
            and not any(callable(field.load_default) for field in schema.load_fields.values())
            and all(type(value) in _SCALARS for value in loaded.values()))


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _CheckedJsonParser()

    def arguments(self, schema, *, location="json", **kwargs):
        """flask-smorest's arguments; a request without a query string reuses the schema's empty
        query as loaded once (see _CheckedJsonParser), without flask-smorest's and webargs' layers."""
        decorate = super().arguments(schema, location=location, **kwargs)
        if location != "query" or not isinstance(schema, type) or set(kwargs) - {"error_status_code"}:
            return decorate

        def decorator(view):
            parsing = decorate(view)

            @wraps(parsing)
            def answer(*args, **view_kwargs):
                if not flask.request.environ.get("QUERY_STRING"):
                    loaded = self.ARGUMENTS_PARSER.empty_query(schema)
                    if loaded is not None:
                        return view(*args, loaded, **view_kwargs)  # where webargs puts it: after the others
                return parsing(*args, **view_kwargs)

            return answer

        return decorator

    def alt_response(self, *args, **kwargs):
        document = super().alt_response(*args, **kwargs)

        def decorator(view):
            view._apidoc = document(view)._apidoc  # the documentation flask-smorest's wrapper would carry
            return view

        return decorator

    def response(self, status_code, schema=None, **kwargs):
        decorate = super().response(status_code, schema, **kwargs)
        if schema is not None:
            return decorate

        def decorator(view):
            documented = decorate(view)

            @wraps(view)
            def respond(*args, **kwargs):
                namespace = request_simulation()  # none in an app without the simulator's pipeline
                result = view(*args, **kwargs) if namespace is None else namespace.run_view(view, args, kwargs)
                if isinstance(result, flask.Response):
                    return result
                return decorate(lambda *_args, **_kwargs: result)(*args, **kwargs)

            respond._apidoc = documented._apidoc
            return respond

        return decorator
