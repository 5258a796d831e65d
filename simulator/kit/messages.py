"""One walk over webargs/marshmallow validation messages: {location: {field: [text]}}, nested."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

LOCATIONS = ("json", "query", "path", "view_args", "headers", "form", "files", "cookies")


def validation_messages(exc: Exception) -> Mapping[str, Any]:
    """webargs' messages from flask-smorest's 422 abort (empty when the body was not JSON at all)."""
    data = getattr(exc, "data", None) or {}
    return data.get("messages") or {}


def walk(messages: Any, location: str | None = None, path: tuple = ()) -> Iterator[tuple[str | None, tuple, str]]:
    """Every (location, field path, text), in the order marshmallow reported them. A location key
    is recognised at the top only; `_schema` (a whole-object problem) adds nothing to the path."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if not path and location is None and key in LOCATIONS:
                yield from walk(value, key, path)
            elif key == "_schema":
                yield from walk(value, location, path)
            else:
                yield from walk(value, location, (*path, key))
    elif isinstance(messages, list):
        for item in messages:
            yield from walk(item, location, path)
    else:
        yield location, path, str(messages)


def dotted(path: tuple) -> str:
    return ".".join(str(part) for part in path)


def first_message(messages: Any) -> str:
    """A one-line 'field: problem' summary of the first message."""
    for _location, path, text in walk(messages):
        return f"{dotted(path)}: {text}" if path else text
    return "invalid request"
