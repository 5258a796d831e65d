"""Credentials never leave the simulator: not in answers, not in resource fields, not in 422 inputs.

Which names hold a credential is the one masker's rule (engine/secrets.py); this module only applies
it in the service's own way: its answers show `********`, and a source_config keeps its shape.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...engine.secrets import SECRET_MAPS, SECRET_PARAM, is_secret_name, mask_url

MASK = "********"  # what the vendor's own answers show (the journal's mask is shorter)


def _secret_field(name: Any) -> bool:
    # `api_key_header` names the header the key travels in: a header's name is no secret.
    return is_secret_name(name) and not str(name).endswith("_header")


def config(source_config: Mapping[str, Any]) -> dict[str, Any]:
    """A source_config as stored and shown: credentials masked, URL passwords replaced."""
    safe = dict(source_config)
    for name, value in safe.items():
        if _secret_field(name):
            safe[name] = MASK if value else value
        elif name in SECRET_MAPS and isinstance(value, Mapping):  # every value may carry a credential
            safe[name] = {key: MASK for key in value}
        elif name == "query_params" and isinstance(value, Mapping):
            safe[name] = {k: MASK if SECRET_PARAM.search(str(k)) else v for k, v in value.items()}
        elif name == "location" and isinstance(value, str):
            safe[name] = mask_url(value, MASK)
    return safe


def value_at(value: Any, loc: list[Any]) -> Any:
    """A request value echoed in a validation error, with whatever credentials it holds masked."""
    names = [part for part in loc if isinstance(part, str)]
    if names and (_secret_field(names[-1]) or any(name in SECRET_MAPS for name in names)):
        return MASK if value not in (None, "") else value
    if names and names[-1] == "location" and isinstance(value, str):
        return mask_url(value, MASK)
    if isinstance(value, Mapping):
        masked = config(value)
        return {key: value_at(item, [*loc, key]) if isinstance(item, Mapping) else masked[key]
                for key, item in value.items()}
    return value
