"""Flask's test client, over a real socket: the tests written for one in-process app run unchanged
against simulator processes that share one Redis, each request through the round-robin balancer.

A request is built exactly as the test client builds it (werkzeug's EnvironBuilder: json=, data=
with files, headers=, content_type=, query_string=), sent over HTTP, and the answer comes back as
a Flask Response (status_code, get_json(), json, data, get_data(as_text=), headers, mimetype).
Every request of a test carries that test's own namespace, so tests sharing the processes never
see each other's world.
"""
from __future__ import annotations

import http.client
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from flask import Response
from werkzeug.test import EnvironBuilder

from tests.conftest import LiveServer, start_server, stop_server
from tests.vendorspec.oracle import Exchange
from tests.vendorspec.recorder import Ledger, vendor_of

from .balancer import Balancer

NAMESPACE = "X-Simulator-Namespace"
PATH_SAFE = "/:@!$&'()*+,;=-._~"  # what may stay as it is in a path segment (RFC 3986 pchar)


class Answer(Response):
    """A response as the test client gives it (werkzeug's TestResponse): no Content-Type the server
    did not send, and its body as `text`."""
    default_mimetype = None

    @property
    def text(self) -> str:
        return self.get_data(as_text=True)


class HttpClient:
    """The part of FlaskClient the tests use, for a server at `url` (here: the balancer)."""

    def __init__(self, url: str, namespace: str | None = None, timeout: float = 60.0) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.namespace = namespace
        self.timeout = timeout
        self.ledger: Ledger | None = None  # set: vendor exchanges are kept for the vendor-spec oracle
        self.spec_of: Callable[[str], str] | None = None
        self.namespaces_named: set[str] = set()  # other namespaces the test picked by header
        self.sent: list[tuple[str, str, bytes]] = []  # method, path and body of every request, in order

    def open(self, path: str, method: str = "GET", **kwargs: Any) -> Answer:
        builder = EnvironBuilder(path=path, method=method, **kwargs)
        try:
            environ = builder.get_environ()
            body = environ["wsgi.input"].read()
            headers = {name: value for name, value in builder.headers.items()
                       if name.lower() not in ("content-type", "content-length", "host")}
        finally:
            builder.close()
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        named = next((value for name, value in headers.items() if name.lower() == NAMESPACE.lower()), None)
        if named is None and self.namespace:
            headers[NAMESPACE] = self.namespace
        elif named is not None:
            self.namespaces_named.add(named)
        target = quote(environ["PATH_INFO"].encode("latin-1"), safe=PATH_SAFE)
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
        vendor = vendor_of(environ["PATH_INFO"]) if self.ledger is not None else None
        spec = self.spec_of(vendor) if vendor and self.spec_of else vendor
        self.sent.append((method.upper(), environ["PATH_INFO"], body))
        status, reason, answer_headers, data = self._exchange(method, target, body, headers)
        response = Answer(data, status=f"{status} {reason}", headers=answer_headers)
        if vendor:
            self.ledger.add(Exchange(
                vendor=vendor, method=method.upper(), path=environ["PATH_INFO"],
                query=parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True),
                request_headers={name.lower(): value for name, value in headers.items()}, request_body=body,
                status=status, content_type=response.headers.get("Content-Type", ""), body=data, spec=spec or ""))
        return response

    def _exchange(self, method: str, target: str, body: bytes, headers: dict[str, str]):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method.upper(), target, body=body if body or method.upper() not in ("GET", "HEAD")
                               else None, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
            return answer.status, answer.reason, answer.getheaders(), data
        finally:
            connection.close()

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.open(path, "GET", **kwargs)

    def post(self, path: str, **kwargs: Any) -> Answer:
        return self.open(path, "POST", **kwargs)

    def put(self, path: str, **kwargs: Any) -> Answer:
        return self.open(path, "PUT", **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Answer:
        return self.open(path, "PATCH", **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Answer:
        return self.open(path, "DELETE", **kwargs)

    def head(self, path: str, **kwargs: Any) -> Answer:
        return self.open(path, "HEAD", **kwargs)

    def options(self, path: str, **kwargs: Any) -> Answer:
        return self.open(path, "OPTIONS", **kwargs)


class Drain:
    """Reads a server's output for as long as it runs (a full pipe would stall it); keeps the tail."""

    def __init__(self, stream, keep: int = 200) -> None:
        self.lines: deque[str] = deque(maxlen=keep)
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        try:
            for line in stream:
                self.lines.append(line)
        except (ValueError, OSError):  # closed when the server is stopped
            pass

    def tail(self) -> str:
        return "".join(self.lines)

    def join(self) -> None:
        self._thread.join(timeout=5)


@dataclass
class World:
    """Two processes on one Redis database, a balancer in front of them."""
    store: str
    servers: list[LiveServer]
    drains: list[Drain]
    balancer: Balancer

    @property
    def url(self) -> str:
        return self.balancer.url

    def close(self) -> None:
        self.balancer.stop()
        for server, drain in zip(self.servers, self.drains, strict=True):
            stop_server(server)  # the process ends, so its pipe ends and the reading with it
            drain.join()


def start_world(store: str, *args: str) -> World:
    servers = [start_server("--store", store, *args) for _ in range(2)]
    drains = [Drain(server.process.stdout) for server in servers]
    return World(store, servers, drains, Balancer([server.url for server in servers]).start())
