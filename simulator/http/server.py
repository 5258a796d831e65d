"""The waitress server around the app, set up so no client can starve it or get a plain-text error.

- A body over --max-body-bytes is refused by waitress before the app runs; instead of waitress'
  plain-text 413, the app itself answers it (in the vendor's envelope, journalled), without the body.
- poll() instead of select(), so the connection limit is not capped by FD_SETSIZE (1024).
"""
from __future__ import annotations

from typing import Any

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from ..settings import Settings

TOO_LARGE_ENVIRON = "simulator.body_too_large"


class _AppAnswersTooLarge(WSGITask):
    """Runs the app for a request waitress refused as too large, with an empty body and a mark."""

    def get_environment(self) -> dict[str, Any]:
        environ = super().get_environment()
        environ[TOO_LARGE_ENVIRON] = True
        environ["CONTENT_LENGTH"] = "0"
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return environ

    def execute(self) -> None:
        self.set_close_on_finish()  # the unread body is still on the socket
        super().execute()


def _error_task(channel, request):
    if isinstance(request.error, RequestEntityTooLarge) and request.path:
        return _AppAnswersTooLarge(channel, request)
    return ErrorTask(channel, request)


class _Channel(HTTPChannel):
    error_task_class = staticmethod(_error_task)


def build_server(app, settings: Settings, *, host: str | None = None, port: int | None = None):
    """A waitress server for the app with the simulator's limits (not started)."""
    server = create_server(
        app,
        host=settings.host if host is None else host,
        port=settings.port if port is None else port,
        threads=settings.threads,
        connection_limit=settings.connection_limit,
        max_request_body_size=settings.max_body_bytes + 1,  # waitress refuses at >= its limit
        asyncore_use_poll=True,
        ident="simulator",
    )
    for listener in (server, *getattr(server, "map", {}).values()):  # several sockets for a name like localhost
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = _Channel
    return server

