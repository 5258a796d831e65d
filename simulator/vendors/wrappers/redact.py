"""Credentials never leave the simulator: not in answers, not in resource fields, not in 422 inputs."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...engine.secrets import SECRET_PARAM, mask_url

MASK = "********"  # what the vendor's own answers show (the journal's mask is shorter)
SECRET_FIELDS = ("api_key", "bearer_token", "password")
MASKED_MAPS = ("custom_headers",)  # every value may carry a credential


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
        safe["query_params"] = {k: MASK if SECRET_PARAM.search(str(k)) else v for k, v in safe["query_params"].items()}
    if isinstance(safe.get("location"), str):
        safe["location"] = mask_url(safe["location"], MASK)
    return safe


def value_at(value: Any, loc: list[Any]) -> Any:
    """A request value echoed in a validation error, with whatever credentials it holds masked."""
    names = [part for part in loc if isinstance(part, str)]
    if names and (names[-1] in SECRET_FIELDS or any(name in MASKED_MAPS for name in names)):
        return MASK if value not in (None, "") else value
    if names and names[-1] == "location" and isinstance(value, str):
        return mask_url(value, MASK)
    if isinstance(value, Mapping):
        masked = config(value)
        return {key: value_at(item, [*loc, key]) if isinstance(item, Mapping) else masked[key]
                for key, item in value.items()}
    return value
