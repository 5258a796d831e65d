"""Server settings: what the CLI and create_app take."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 16
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_JOURNAL_SIZE = 1000
DEFAULT_JOURNAL_BODY_LIMIT = 4096
DEFAULT_MAX_NAMESPACES = 256
DEFAULT_MAX_LATENCY = 60.0  # seconds of injected latency one request may get
DEFAULT_CONNECTION_LIMIT = 1000  # open connections waitress accepts (its own default, 100, is easy to exhaust)
DEFAULT_MAX_RESOURCES = 100_000  # per namespace
ISOLATION_MODES = ("header", "credential")


@dataclass
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    scenarios: list[str] = field(default_factory=list)
    speed: float | None = None  # overrides the scenarios' clock speed when given
    threads: int = DEFAULT_THREADS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    journal_size: int = DEFAULT_JOURNAL_SIZE  # entries kept per namespace
    journal_body_limit: int = DEFAULT_JOURNAL_BODY_LIMIT  # bytes of each body kept in the journal
    max_namespaces: int = DEFAULT_MAX_NAMESPACES  # the least recently used is dropped beyond this
    max_resources: int = DEFAULT_MAX_RESOURCES  # per namespace: creates and scenario loads beyond it are refused
    isolation: str | None = None  # header | credential; None: the startup scenarios' choice, else header
    openapi_dir: Path | None = None  # where openapi/<vendor>.yaml live (default: the repository's)
    callback_hosts: list[str] = field(default_factory=list)  # beyond loopback, where callbacks may go
    max_latency: float = DEFAULT_MAX_LATENCY  # injected latency is capped here
    delay_slots: int | None = None  # requests delayed at once (default: half the threads); the rest go undelayed
    connection_limit: int = DEFAULT_CONNECTION_LIMIT
    control_token: str | None = None  # when set, /_simulator/* needs "Authorization: Bearer <token>"
    allowed_hosts: list[str] = field(default_factory=list)  # Host names the control API accepts besides loopback
    store: str | None = None  # None: this process's memory; redis://HOST:PORT/DB: a world shared with other processes

    @property
    def delayed_at_once(self) -> int:
        return self.delay_slots if self.delay_slots is not None else max(1, self.threads // 2)
