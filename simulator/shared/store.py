"""What the rest of the simulator knows of the shared store without loading Redis' client (about
a sixth of start-up): the `--store` URL check and the error every call to the store may raise."""
from __future__ import annotations

from urllib.parse import urlsplit

MEMORY = "memory"


class StoreUnavailable(Exception):
    """Redis could not be reached, or did not answer in time: nothing of the call was written."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("the shared store (Redis) is unavailable" + (f": {detail}" if detail else ""))

    @property
    def answer(self) -> str:
        """What a client is told."""
        return f"{self}; nothing was changed, retry when it is back"


def parse_store(text: str) -> str | None:
    """None for `memory`; a checked `redis://host:port/db` URL otherwise (ValueError says why not)."""
    if text == MEMORY:
        return None
    parts = urlsplit(text)
    if parts.scheme != "redis" or not parts.hostname:
        raise ValueError(f"{text!r} is not a store: use 'memory' or redis://HOST:PORT/DB")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"{text!r} has a bad port") from None
    db = parts.path.lstrip("/")
    if db and not (db.isdigit() and int(db) < 10_000):
        raise ValueError(f"{text!r}: the database must be a number, as in redis://localhost:6379/0")
    if parts.query or parts.fragment:
        raise ValueError(f"{text!r}: no query or fragment expected")
    return text
