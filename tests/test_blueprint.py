"""simulator.http.blueprint: flask-smorest's behaviour and documentation, without its per-request layers."""
from __future__ import annotations

import itertools

import flask_smorest
import marshmallow as ma
import pytest
from flask import Flask, jsonify

from simulator.http.blueprint import Blueprint


class Query(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    selector = ma.fields.String(load_default="all")
    tags = ma.fields.List(ma.fields.String(), load_default=list)


class PlainQuery(ma.Schema):
    selector = ma.fields.String(load_default="all")
    limit = ma.fields.Integer(load_default=10)


_counter = itertools.count()


class CallableDefault(ma.Schema):
    seq = ma.fields.Integer(load_default=lambda: next(_counter))


def build(blueprint_class) -> tuple[Flask, flask_smorest.Api]:
    app = Flask("t")
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = flask_smorest.Api(app)
    blp = blueprint_class("things", __name__)

    @blp.get("/response/<name>")
    @blp.response(200, description="The thing")
    @blp.alt_response(404, description="No such thing")
    @blp.alt_response(500, description="Broken")
    def as_response(name: str):
        """Reads a thing."""
        return jsonify({"name": name})

    @blp.post("/dict")
    @blp.response(201, description="Created")
    @blp.alt_response(400, description="Bad")
    def as_dict():
        return {"made": True}

    @blp.post("/tuple")
    @blp.response(201, description="Created")
    def as_tuple():
        return {"made": True}, 202, {"X-Extra": "yes"}

    @blp.get("/query")
    @blp.arguments(Query, location="query")
    @blp.response(200, description="Query")
    def query(args):
        result = dict(args)
        args["selector"] = "changed by the view"  # must not leak into the next request
        return result

    @blp.get("/plain")
    @blp.arguments(PlainQuery, location="query")
    @blp.response(200, description="Query")
    def plain(args):
        result = dict(args)
        args["selector"] = "changed by the view"
        return result

    @blp.get("/callable")
    @blp.arguments(CallableDefault, location="query")
    @blp.response(200, description="Query")
    def callable_default(args):
        return args

    api.register_blueprint(blp)
    return app, api


@pytest.fixture
def client():
    return build(Blueprint)[0].test_client()


def test_the_documentation_is_flask_smorests():
    ours = build(Blueprint)[1].spec.to_dict()
    theirs = build(flask_smorest.Blueprint)[1].spec.to_dict()
    assert ours == theirs
    responses = ours["paths"]["/response/{name}"]["get"]["responses"]
    assert {"200", "404", "500"} <= set(responses) and responses["404"]["description"] == "No such thing"


def test_a_response_is_returned_as_the_view_made_it(client):
    answer = client.get("/response/kettle")
    assert answer.status_code == 200 and answer.get_json() == {"name": "kettle"}


def test_other_results_get_flask_smorests_handling(client):
    answer = client.post("/dict")
    assert answer.status_code == 201 and answer.get_json() == {"made": True}
    answer = client.post("/tuple")
    assert answer.status_code == 202 and answer.get_json() == {"made": True}
    assert answer.headers["X-Extra"] == "yes"


def test_an_empty_query_loads_its_defaults_afresh_each_time(client):
    for _ in range(3):
        answer = client.get("/plain")
        assert answer.status_code == 200 and answer.get_json() == {"selector": "all", "limit": 10}
    assert client.get("/plain?selector=some&limit=3").get_json() == {"selector": "some", "limit": 3}
    assert client.get("/plain?limit=x").status_code == 422
    assert client.get("/plain").get_json() == {"selector": "all", "limit": 10}


def test_after_the_first_an_empty_query_skips_the_parser(client, monkeypatch):
    monkeypatch.setattr(Blueprint.ARGUMENTS_PARSER, "_empty_queries", {})  # as in a fresh process
    parsed = []
    parse = Blueprint.ARGUMENTS_PARSER.parse
    monkeypatch.setattr(Blueprint.ARGUMENTS_PARSER, "parse", lambda *a, **k: parsed.append(1) or parse(*a, **k))
    answers = [client.get("/plain").get_json() for _ in range(3)]
    assert answers == [{"selector": "all", "limit": 10}] * 3
    assert len(parsed) == 1  # the first loads the defaults, the others reuse them
    assert client.get("/plain?limit=4").get_json() == {"selector": "all", "limit": 4}
    assert len(parsed) == 2  # a query string is parsed as ever
    before = len(parsed)
    client.get("/query"), client.get("/query")  # defaults that are not plain values: parsed each time
    assert len(parsed) == before + 2


def test_defaults_that_are_not_plain_values_are_loaded_every_time(client):
    assert client.get("/query").get_json() == {"selector": "all", "tags": []}
    assert client.get("/query").get_json() == {"selector": "all", "tags": []}
    first, second = (client.get("/callable").get_json()["seq"] for _ in range(2))
    assert second == first + 1


def test_urls_still_build_though_their_builders_are_compiled_on_first_use():
    from flask import url_for

    from simulator.app import create_app

    app = create_app()
    with app.test_request_context("/"):
        assert url_for("sparrow.get_analysis", analysis_id=5) == "/api/v3/analysis/5"
        assert url_for("sparrow.get_analysis", analysis_id=5, page=2) == "/api/v3/analysis/5?page=2"
        assert url_for("sparrow.get_analysis", analysis_id=7, _external=True) == "http://localhost/api/v3/analysis/7"
