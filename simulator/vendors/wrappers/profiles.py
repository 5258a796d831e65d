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
    default: str  # DOCS or CODE
    docs: str  # what the docs reading does
    code: str  # what the code reading does
    source: str  # where the default comes from


# name: (default, the docs reading, the code reading, where the default comes from)
BEHAVIOURS: dict[str, Behaviour] = {name: Behaviour(*row) for name, row in {
    "stop_status": (DOCS,
         "a stopped live process leaves the wrapper `stopped`",
         "a stopped live process leaves the wrapper `completed`",
         "reference 7: the seed states it"),
    "stop_unknown": (CODE,
         "stop of an unknown id: 400 `Stop error: Wrapper not found` (reason text INFERRED)",
         "stop of an unknown id: 200 with success false",
         "reference 7: matches the seed's failure example"),
    "execute_unknown": (CODE,
         "execute of an unknown id: 400 `Execution error: Wrapper not found` (text INFERRED)",
         "execute of an unknown id: 200 with success false, message `Wrapper not found`",
         "reference 7"),
    "execute_message": (CODE,
         "execute answers `Wrapper executed successfully` and a data point count (INFERRED text)",
         "execute answers `Wrapper process started successfully in <mode> mode` and null",
         "reference 7"),
    "auth_failures": (CODE,
         "every authentication or role failure is a 401 (INFERRED)",
         "403 without or with a non-Bearer header, 401 for a bad token, 403 for a reader on an admin route",
         "reference 7"),
    "retrying": (CODE,
         "a crashed process puts the wrapper in `error` at once (no `retrying`)",
         "a crashed process goes through `retrying` up to three times, then `error`",
         "reference 7 (decided when a wrapper is generated or seeded)"),
    "regenerate": (CODE,
         "no regenerate endpoint: 404 `Not Found`",
         "POST .../regenerate resets the wrapper to `pending`",
         "reference 7"),
    "health_side_effect": (DOCS,
         "health and monitoring only read",
         "health or monitoring of an executing/generating/retrying wrapper with no live process sets `error`",
         "reference 7"),
    "list_without_slash": (CODE,
         "GET /resources/wrappers (no slash) lists wrappers like /resources/wrappers/",
         "GET /resources/wrappers is taken by the resource lookup: 400 `Invalid resource ID`",
         "reference 3 (INFERRED default: what the service does)"),
    "stop_before_start": (CODE,
         "a stop while pending/generating is remembered: the wrapper ends `stopped`, its process never starts"
         " (INFERRED)",
         "a stop while pending/generating is a no-op: the wrapper still reaches `executing` (the race)",
         "reference 4 (race reproduced in code mode)"),
}.items()}


def resolve(settings: Mapping[str, Any]) -> dict[str, str]:
    """behaviour name -> DOCS or CODE, from `profile` and per-behaviour `behaviours` overrides."""
    profile = settings.get("profile")
    modes = {name: profile or row.default for name, row in BEHAVIOURS.items()}
    modes.update(settings.get("behaviours") or {})
    return modes


def is_code(settings: Mapping[str, Any], behaviour: str) -> bool:
    return resolve(settings)[behaviour] == CODE
