"""Remembered URL adapters and matches answer exactly as werkzeug does, stay bounded, and remember no
error: a client sending endless hosts or paths fills nothing, and a 404 stays a 404."""
from __future__ import annotations

import io

import pytest
from flask import Flask
from werkzeug.exceptions import BadHost, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from simulator.app import create_app
from simulator.http.routing import MAX_PATH, RememberedHosts, RememberedMatches

ADAPTER_FIELDS = ("server_name", "script_name", "subdomain", "url_scheme", "path_info", "default_method",
                  "query_args", "websocket")


def _environ(path="/api/v3/analysis/1", method="GET", query="", **extra) -> dict:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": query,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8080", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_HOST": "127.0.0.1:8080", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b"")}
    environ.update(extra)
    return {key: value for key, value in environ.items() if value is not None}


@pytest.fixture(scope="module")
def app():
    return create_app()


def _flask_adapter(app, environ):
    return Flask.create_url_adapter(app, app.request_class(environ))


def _fields(adapter) -> tuple:
    return tuple(getattr(adapter, name) for name in ADAPTER_FIELDS)


ENVIRONS = [
    _environ(),
    _environ(query="a=1&b=%C3%A9"),
    _environ("/v0/pipelines/caf\xc3\xa9", "PUT"),  # a UTF-8 path as WSGI hands it over (latin-1)
    _environ(HTTP_HOST="Example.COM:80"),  # lower-cased, the default port dropped
    _environ(HTTP_HOST="example.com:443", **{"wsgi.url_scheme": "https"}),
    _environ(HTTP_HOST="b\xc3\xbccher.example"),  # IDNA
    _environ(HTTP_HOST=None),  # no Host header: the server's name and port
    _environ(HTTP_HOST=None, SERVER_NAME="::1", SERVER_PORT="9000"),
    _environ(SCRIPT_NAME="/prefix"),
    _environ(PATH_INFO=None, QUERY_STRING=None),
    _environ(HTTP_CONNECTION="Upgrade", HTTP_UPGRADE="websocket"),  # a websocket scheme
    _environ(HTTP_HOST="bad host\x00"),  # characters werkzeug refuses: an empty host
]


@pytest.mark.parametrize("environ", ENVIRONS, ids=range(len(ENVIRONS)))
def test_a_remembered_adapter_is_the_one_werkzeug_binds(app, environ):
    expected = _fields(_flask_adapter(app, environ))
    hosts = RememberedHosts()
    first = hosts.adapter(app.url_map, environ, lambda: _flask_adapter(app, environ))
    again = hosts.adapter(app.url_map, environ, lambda: pytest.fail("the host was not remembered"))
    assert _fields(first) == expected
    assert _fields(again) == expected
    # the same host with another path, method and query: only the host part is remembered
    other = dict(environ, PATH_INFO="/v1.3/tasks", REQUEST_METHOD="POST", QUERY_STRING="page=2")
    assert _fields(hosts.adapter(app.url_map, other, pytest.fail)) == _fields(_flask_adapter(app, other))


def test_hosts_are_bounded_and_a_long_host_is_not_remembered(app):
    hosts = RememberedHosts(size=4)
    for n in range(10):
        environ = _environ(HTTP_HOST=f"host{n}.example")
        hosts.adapter(app.url_map, environ, lambda environ=environ: _flask_adapter(app, environ))
        assert len(hosts._hosts) <= 4
    hosts = RememberedHosts()
    environ = _environ(HTTP_HOST=".".join(["h" * 60] * 20))
    hosts.adapter(app.url_map, environ, lambda: _flask_adapter(app, environ))
    assert hosts._hosts == {}


def test_a_bad_host_is_refused_each_time_not_remembered(app):
    hosts = RememberedHosts()
    environ = _environ(HTTP_HOST="a" * 64 + ".example")  # a label IDNA refuses
    for _ in range(2):
        with pytest.raises(BadHost):
            hosts.adapter(app.url_map, environ, lambda: _flask_adapter(app, environ))
    assert hosts._hosts == {}


def test_the_app_binds_each_request_as_werkzeug_would(app):
    for environ in ENVIRONS:
        with app.request_context(dict(environ)) as ctx:
            assert _fields(ctx.url_adapter) == _fields(_flask_adapter(app, environ))


def test_a_remembered_match_is_werkzeugs_and_its_arguments_are_fresh(app):
    matches = RememberedMatches()
    adapter = _flask_adapter(app, _environ("/v0/pipelines/orders"))
    rule, arguments = matches.match(adapter)
    assert (rule, arguments) == adapter.match(return_rule=True)
    arguments["pipeline_name"] = "changed"  # as a url_value_preprocessor may
    again, arguments_again = matches.match(_flask_adapter(app, _environ("/v0/pipelines/orders")))
    assert again is rule and arguments_again == {"pipeline_name": "orders"}
    # another method on the same path is another key
    put = _flask_adapter(app, _environ("/v0/pipelines/orders", "PUT"))
    assert matches.match(put) == put.match(return_rule=True)


@pytest.mark.parametrize("path, method, error", [
    ("/no/such/route", "GET", NotFound),
    ("/v0/pipelines/orders", "PATCH", None),
    ("/api/v3/analysis/1", "DELETE", MethodNotAllowed),
])
def test_errors_are_never_remembered(app, path, method, error):
    matches = RememberedMatches()
    adapter = _flask_adapter(app, _environ(path, method))
    if error is None:
        matches.match(adapter)
        assert len(matches._matches) == 1
        return
    for _ in range(2):
        with pytest.raises(error):
            matches.match(adapter)
    assert matches._matches == {}


def test_a_redirect_is_not_remembered():
    app = Flask("redirects")
    app.add_url_rule("/items/", "items", lambda: "ok")
    matches = RememberedMatches()
    adapter = _flask_adapter(app, _environ("/items"))
    with pytest.raises(RequestRedirect):
        matches.match(adapter)
    assert matches._matches == {}


def test_matches_are_bounded_and_long_paths_not_remembered(app):
    matches = RememberedMatches(size=8)
    for n in range(50):
        matches.match(_flask_adapter(app, _environ(f"/v0/pipelines/p{n}")))
        assert len(matches._matches) <= 8
    long = "x" * (MAX_PATH + 1)
    matches = RememberedMatches()
    adapter = _flask_adapter(app, _environ(f"/v0/pipelines/{long}"))
    assert matches.match(adapter)[1] == {"pipeline_name": long}
    assert matches._matches == {}


def test_the_app_answers_the_same_after_its_matches_are_remembered(app):
    client = app.test_client()
    answers = []
    for _ in range(3):  # the first request fills the memory, the others read it
        missing = client.get("/no/such/route")
        wrong_method = client.delete("/api/v3/analysis/1")
        found = client.get("/_simulator/clock")
        assert missing.status_code == 404 and missing.get_json()["status"] == 404
        assert wrong_method.status_code == 405
        assert wrong_method.get_json()["resultCode"] == "METHOD_NOT_ALLOWED"  # Sparrow's envelope
        assert set(wrong_method.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
        assert found.status_code == 200 and "now" in found.get_json()
        answers.append((missing.get_data(), wrong_method.get_data(), found.get_json().keys()))
    assert answers[1:] == answers[:1] * 2
