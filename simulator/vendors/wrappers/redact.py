"""Credentials never leave the simulator: not in answers, not in resource fields, not in 422 inputs."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MASK = "********"
SECRET_FIELDS = ("api_key", "bearer_token", "password")
MASKED_MAPS = ("custom_headers",)  # every value may carry a credential
_SECRET_PARAM = re.compile(r"key|token|secret|pass|auth|sig", re.I)


def _location(url: str) -> str:
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = f"{parts.username}:{MASK}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return MASK
    return urlunsplit(parts._replace(netloc=netloc))


def config(source_config: Mapping[str, Any]) -> dict[str, Any]:
    """A source_config as stored and shown: credentials masked, URL passwords replaced."""
    safe = dict(source_config)
    for name in SECRET_FIELDS:
        if safe.get(name):
            safe[name] = MASK
    for name in MASKED_MAPS:
        if isinstance(safe.get(name), Mapping):
            safe[name] = {key: MASK for key in safe[name]}
    if isinstance(safe.get("query_params"), Mapping):
        safe["query_params"] = {k: MASK if _SECRET_PARAM.search(str(k)) else v for k, v in safe["query_params"].items()}
    if isinstance(safe.get("location"), str):
        safe["location"] = _location(safe["location"])
    return safe


def value_at(value: Any, loc: list[Any]) -> Any:
    """A request value echoed in a validation error, with whatever credentials it holds masked."""
    names = [part for part in loc if isinstance(part, str)]
    if names and (names[-1] in SECRET_FIELDS or any(name in MASKED_MAPS for name in names)):
        return MASK if value not in (None, "") else value
    if names and names[-1] == "location" and isinstance(value, str):
        return _location(value)
    if isinstance(value, Mapping):
        masked = config(value)
        return {key: value_at(item, [*loc, key]) if isinstance(item, Mapping) else masked[key]
                for key, item in value.items()}
    return value
