"""The docs/code mode switch (reference section 7), in one table.

The service's generated docs and its code disagree in places. `settings.wrappers.profile: docs|code`
picks one reading for every behaviour below; without it each behaviour takes its `default` (the
reference's recommendation). `settings.wrappers.behaviours: {name: docs|code}` overrides one row.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DOCS = "docs"
CODE = "code"
MODES = (DOCS, CODE)


@dataclass(frozen=True)
class Behaviour:
    docs: str
    code: str
    default: str  # DOCS or CODE
    source: str  # where the default comes from


BEHAVIOURS: dict[str, Behaviour] = {
    "stop_status": Behaviour(
        docs="a stopped live process leaves the wrapper `stopped`",
        code="a stopped live process leaves the wrapper `completed`",
        default=DOCS, source="reference 7: the seed states it"),
    "stop_unknown": Behaviour(
        docs="stop of an unknown id: 400 `Stop error: Wrapper not found` (reason text INFERRED)",
        code="stop of an unknown id: 200 with success false",
        default=CODE, source="reference 7: matches the seed's failure example"),
    "execute_unknown": Behaviour(
        docs="execute of an unknown id: 400 `Execution error: Wrapper not found` (text INFERRED)",
        code="execute of an unknown id: 200 with success false, message `Wrapper not found`",
        default=CODE, source="reference 7"),
    "execute_message": Behaviour(
        docs="execute answers `Wrapper executed successfully` and a data point count (INFERRED text)",
        code="execute answers `Wrapper process started successfully in <mode> mode` and null",
        default=CODE, source="reference 7"),
    "auth_failures": Behaviour(
        docs="every authentication or role failure is a 401 (INFERRED)",
        code="403 without or with a non-Bearer header, 401 for a bad token, 403 for a reader on an admin route",
        default=CODE, source="reference 7"),
    "retrying": Behaviour(
        docs="a crashed process puts the wrapper in `error` at once (no `retrying`)",
        code="a crashed process goes through `retrying` up to three times, then `error`",
        default=CODE, source="reference 7 (decided when a wrapper is generated or seeded)"),
    "regenerate": Behaviour(
        docs="no regenerate endpoint: 404 `Not Found`",
        code="POST .../regenerate resets the wrapper to `pending`",
        default=CODE, source="reference 7"),
    "health_side_effect": Behaviour(
        docs="health and monitoring only read",
        code="health or monitoring of an executing/generating/retrying wrapper with no live process sets `error`",
        default=DOCS, source="reference 7"),
    "list_without_slash": Behaviour(
        docs="GET /resources/wrappers (no slash) lists wrappers like /resources/wrappers/",
        code="GET /resources/wrappers is taken by the resource lookup: 400 `Invalid resource ID`",
        default=CODE, source="reference 3 (INFERRED default: what the service does)"),
    "stop_before_start": Behaviour(
        docs="a stop while pending/generating is remembered: the wrapper ends `stopped`, its process never starts"
             " (INFERRED)",
        code="a stop while pending/generating is a no-op: the wrapper still reaches `executing` (the race)",
        default=CODE, source="reference 4 (race reproduced in code mode)"),
}


def resolve(settings: Mapping[str, Any]) -> dict[str, str]:
    """behaviour name -> DOCS or CODE, from `profile` and per-behaviour `behaviours` overrides."""
    profile = settings.get("profile")
    modes = {name: profile or row.default for name, row in BEHAVIOURS.items()}
    modes.update(settings.get("behaviours") or {})
    return modes


def is_code(settings: Mapping[str, Any], behaviour: str) -> bool:
    return resolve(settings)[behaviour] == CODE
