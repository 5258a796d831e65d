"""Records the vendor exchanges a test makes: a WSGI middleware for the Flask test client, and hooks
on the two HTTP client libraries the vendors' SDKs use (requests for feldera, httpx for twelvelabs)
for the live servers the SDK tests start in a subprocess."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import requests.adapters

from .oracle import Exchange

PREFIXES = (("/v0/", "feldera"), ("/v1.3/", "twelvelabs"))


def vendor_of(path: str) -> str | None:
    return next((vendor for prefix, vendor in PREFIXES if path.startswith(prefix)), None)


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


class Ledger:
    """Every vendor exchange of one test, in order."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)


class WsgiRecorder:
    """WSGI middleware: passes everything through, keeps a copy of vendor requests and responses."""

    def __init__(self, app: Callable, ledger: Ledger, spec_of: Callable[[str], str] | None = None) -> None:
        self.app = app
        self.ledger = ledger
        self.spec_of = spec_of  # vendor -> the spec that judges the app's answers now (a setting may pick one)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        vendor = vendor_of(path)
        if vendor is None:
            return self.app(environ, start_response)
        spec = self.spec_of(vendor) if self.spec_of else vendor
        request_body = environ["wsgi.input"].read()
        environ["wsgi.input"] = io.BytesIO(request_body)
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, capture)
        try:
            chunks = list(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = {name.lower(): value for name, value in seen["headers"]}
        request_headers = {key[5:].replace("_", "-").lower(): value
                           for key, value in environ.items() if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            request_headers["content-type"] = environ["CONTENT_TYPE"]
        self.ledger.add(Exchange(
            vendor=vendor, method=environ["REQUEST_METHOD"], path=path,
            query=parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            request_headers=request_headers, request_body=request_body,
            status=int(seen["status"].split()[0]), content_type=headers.get("content-type", ""),
            body=b"".join(chunks), source="test-client", spec=spec))
        return chunks


def record_app(app, ledger: Ledger, spec_of: Callable[[str], str] | None = None):
    app.wsgi_app = WsgiRecorder(app.wsgi_app, ledger, spec_of)
    return app


def _exchange(source: str, method: str, url: str, request_headers: Any, request_body: Any, status: int,
              response_headers: Any, body: bytes) -> Exchange | None:
    parts = urlsplit(url)
    vendor = vendor_of(parts.path)
    if vendor is None:
        return None
    return Exchange(
        vendor=vendor, method=method.upper(), path=parts.path,
        query=parse_qsl(parts.query, keep_blank_values=True),
        request_headers={k.lower(): v for k, v in request_headers.items()}, request_body=_as_bytes(request_body),
        status=status, content_type=response_headers.get("content-type", ""), body=body, source=source)


def hook_clients(monkeypatch: pytest.MonkeyPatch, ledger: Ledger) -> None:
    """Record what the SDKs receive from live servers. Bodies are read eagerly (streams included):
    the libraries then serve them from memory, so the SDK sees the same bytes."""
    requests_send = requests.adapters.HTTPAdapter.send
    httpx_handle = httpx.HTTPTransport.handle_request

    def send(adapter, request, *args, **kwargs):
        response = requests_send(adapter, request, *args, **kwargs)
        exchange = _exchange("requests", request.method, request.url, request.headers, request.body,
                             response.status_code, response.headers, response.content)
        if exchange:
            ledger.add(exchange)
        return response

    def handle_request(transport, request):
        response = httpx_handle(transport, request)
        exchange = _exchange("httpx", request.method, str(request.url), request.headers, request.read(),
                             response.status_code, response.headers, response.read())
        if exchange:
            ledger.add(exchange)
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
