"""Server settings: what the CLI and create_app take."""
from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 16
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


@dataclass
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    scenarios: list[str] = field(default_factory=list)
    speed: float | None = None  # overrides the scenarios' clock speed when given
    threads: int = DEFAULT_THREADS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
