"""Who may use the control API (/_simulator/*): not any web page the user happens to visit.

- Host: on a loopback bind, a Host header that names anything but loopback (or an --allowed-host)
  is refused, so DNS rebinding cannot turn an attacker's domain into our origin.
- Origin: a state-changing call from another origin (a form or fetch on some web page) is refused.
- Content type: control bodies are JSON (scenarios also YAML); text/plain and form bodies, which
  any page can send without asking, are never parsed (415).
- Token: with --control-token, every call needs `Authorization: Bearer <token>`, except the
  dashboard's page and assets, which must load before the user can type the token in.
"""
from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from flask import Request, Response

from ..settings import Settings
from .bodies import declares_body
from .errors import json_response

CONTROL_PREFIX = "/_simulator"
OPEN_WITHOUT_TOKEN = (CONTROL_PREFIX + "/ui",)  # GET only: the dashboard asks for the token itself
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
BODY_TYPES = {CONTROL_PREFIX + "/scenarios": JSON_TYPES + YAML_TYPES}


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hostname(authority: str) -> str:
    """'example.com:8080' / '[::1]:80' / '127.0.0.1' -> the host part, lower case."""
    return (urlsplit("//" + authority).hostname or "").lower()


class ControlGuard:
    def __init__(self, settings: Settings) -> None:
        self.check_host = is_loopback(settings.host)
        self.allowed_hosts = frozenset(h.lower() for h in settings.allowed_hosts)
        self.token = settings.control_token.encode() if settings.control_token else None

    def refuse(self, request: Request) -> Response | None:
        """None when the call may go on, else the refusal."""
        environ = request.environ
        host = environ.get("HTTP_HOST", "")
        if self.check_host and host and not self._host_allowed(_hostname(host)):
            return _refusal(403, f"Host {host!r} is not this simulator: the control API answers loopback names "
                                 "only (add others with --allowed-host)")
        if self.token is not None and not self._open_without_token(request) and not self._token_given(request):
            response = _refusal(401, "the control API needs 'Authorization: Bearer <token>' (--control-token)")
            response.headers["WWW-Authenticate"] = 'Bearer realm="simulator control API"'
            return response
        if request.method in SAFE_METHODS:
            return None
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and not self._same_or_allowed_origin(origin, host):
            return _refusal(403, f"cross-origin control calls are refused (Origin {origin!r})")
        if environ.get("HTTP_SEC_FETCH_SITE") == "cross-site":
            return _refusal(403, "cross-site control calls are refused (Sec-Fetch-Site: cross-site)")
        return self._refuse_content_type(request)

    def _host_allowed(self, name: str) -> bool:
        return is_loopback(name) or name in self.allowed_hosts

    def _same_or_allowed_origin(self, origin: str, host: str) -> bool:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return False  # "null" and other opaque origins
        return parts.netloc.lower() == host.lower() or (parts.hostname or "") in self.allowed_hosts

    def _token_given(self, request: Request) -> bool:
        scheme, _, value = request.environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), self.token)

    @staticmethod
    def _open_without_token(request: Request) -> bool:
        path = request.path
        return request.method in ("GET", "HEAD") and any(
            path == prefix or path.startswith(prefix + "/") for prefix in OPEN_WITHOUT_TOKEN)

    @staticmethod
    def _refuse_content_type(request: Request) -> Response | None:
        environ = request.environ
        if not declares_body(environ):
            return None
        mimetype = request.mimetype or ""
        allowed = BODY_TYPES.get(request.path.rstrip("/"), JSON_TYPES)
        if mimetype in allowed or (mimetype.endswith("+json") and JSON_TYPES[0] in allowed):
            return None
        return _refusal(415, f"a control body must be sent as {' or '.join(allowed)}, not {mimetype or 'untyped'}")


def _refusal(status: int, message: str) -> Response:
    return json_response({"error": message, "status": status}, status)
