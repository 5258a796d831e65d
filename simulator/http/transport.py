"""Transport faults (out of contract): close the connection with no response, or reset it.

Flask cannot drop a connection, so a view answers with a marked response and this WSGI
middleware turns it into what waitress does when a client goes away: with `reset`, the socket is
first set to linger 0 so closing it sends a TCP RST. Outside waitress (Flask's test client) the
fault surfaces as ConnectionResetError / ConnectionAbortedError.
"""
from __future__ import annotations

import socket
import struct

TRANSPORT_MARK = "X-Simulator-Transport-Fault"
TRANSPORT_STATUS = 599  # the marked response's status; it never reaches a client
_MARKED_STATUS = f"{TRANSPORT_STATUS} "

try:
    from waitress.channel import ClientDisconnected
except ImportError:  # pragma: no cover - waitress is a dependency
    ClientDisconnected = ConnectionAbortedError


class TransportFaults:
    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        fault: list[str] = []

        def intercept(status, headers, exc_info=None):
            if status.startswith(_MARKED_STATUS):
                kinds = [value for name, value in headers if name == TRANSPORT_MARK]
                if kinds:
                    fault.append(kinds[0])
                    return lambda data: None
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, intercept)
        if not fault:
            return result
        if hasattr(result, "close"):
            result.close()
        _drop(environ, fault[0])
        raise AssertionError("unreachable")  # pragma: no cover


def _drop(environ, kind: str) -> None:
    check = environ.get("waitress.client_disconnected")
    channel = getattr(check, "__self__", None)
    sock = getattr(channel, "socket", None)
    if sock is None:
        error = ConnectionResetError if kind == "reset" else ConnectionAbortedError
        raise error(f"simulated transport fault: {kind}")
    if kind == "reset":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raise ClientDisconnected(f"simulated transport fault: {kind}")
