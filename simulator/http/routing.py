"""URL adapters and matches, remembered: clients poll the same few paths on the same host over and
over, and werkzeug works both out afresh for every request (binding the adapter to the request's host,
then walking its matcher's state machine). Remembering both took an in-process vendor GET from about
90 to 65 us here.

Only successful results are remembered: a bad host, a 404, a 405 or a redirect goes through werkzeug
each time, as do paths longer than MAX_PATH. The app's rules never change once it serves (Flask
refuses new routes after the first request), so a remembered match stays true.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Map, MapAdapter, Rule

MAX_PATH = 512  # longer paths (no vendor's route is near this) are matched without being remembered
MAX_HOST_KEY = 1024  # nor are hosts whose headers add up to more


class RememberedHosts:
    """The host part of each request's URL adapter (server name, script name, subdomain, scheme),
    remembered per (Host header, server, scheme, script name, upgrade headers) for at most `size` of
    them; the request's own path, method and query are bound each time."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._hosts: dict[tuple, tuple[str, str, str | None, str]] = {}

    def adapter(self, url_map: Map, environ: dict, bind: Callable[[], MapAdapter]) -> MapAdapter:
        """`bind`: werkzeug's own binding (Flask's create_url_adapter), for a host not remembered."""
        key = (environ.get("HTTP_HOST"), environ.get("SERVER_NAME"), environ.get("SERVER_PORT"),
               environ.get("wsgi.url_scheme"), environ.get("SCRIPT_NAME"), environ.get("HTTP_CONNECTION"),
               environ.get("HTTP_UPGRADE"))
        host = self._hosts.get(key)
        if host is None:
            adapter = bind()
            if sum(len(part) for part in key if part) <= MAX_HOST_KEY:
                if len(self._hosts) >= self._size:
                    self._hosts.clear()
                self._hosts[key] = (adapter.server_name, adapter.script_name, adapter.subdomain, adapter.url_scheme)
            return adapter
        path, query = environ.get("PATH_INFO"), environ.get("QUERY_STRING")
        return MapAdapter(url_map, *host, "/" if path is None else _wsgi_string(path), environ["REQUEST_METHOD"],
                          None if query is None else _wsgi_string(query))


def _wsgi_string(value: str) -> str:
    """A WSGI string (bytes as latin-1) as text, the way werkzeug's bind_to_environ reads it."""
    return value.encode("latin1").decode("utf-8", "replace")


class RememberedMatches:
    """(method, path, websocket, host part) -> (rule, view arguments), for at most `size` paths: all
    are forgotten when that many are remembered (any path a client sends is one)."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._matches: dict[tuple[str, str, bool, str], tuple[Rule, dict[str, Any]]] = {}

    def match(self, adapter: MapAdapter) -> tuple[Rule, dict[str, Any]]:
        path = adapter.path_info
        if len(path) > MAX_PATH:
            return adapter.match(return_rule=True)
        domain = adapter.server_name if adapter.map.host_matching else adapter.subdomain
        key = (adapter.default_method, path, adapter.websocket, domain)
        found = self._matches.get(key)
        if found is None:
            found = adapter.match(return_rule=True)  # raises for a 404, 405 or redirect: not remembered
            if len(self._matches) >= self._size:
                self._matches.clear()
            self._matches[key] = found
        rule, arguments = found
        return rule, dict(arguments)  # a fresh dict: a url_value_preprocessor may change it
