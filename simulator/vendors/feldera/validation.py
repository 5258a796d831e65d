"""What the server checks in a pipeline body before storing it (server source:
pipeline-manager/src/db/types/utils.rs and db/operations/pipeline.rs): description and tags, then
`runtime_config`, then `program_config`. Each failure is a 400 in Feldera's envelope; nothing is stored.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ...kit.errors import VendorError
from . import configs
from .codes import (
    CONFIG_FAILURES,
    MAX_DESCRIPTION_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    RESERVED_ENV_REASON,
    TAG_PATTERN,
    TAG_RULES,
)


def check_description(description: str) -> None:
    if len(description) > MAX_DESCRIPTION_LENGTH:
        details = {"length": len(description), "maximum": MAX_DESCRIPTION_LENGTH}
        raise VendorError("TooLongDescription", details=details, **details)


def check_tags(tags: Sequence[str]) -> None:
    if len(tags) > MAX_TAGS:
        details = {"count": len(tags), "maximum": MAX_TAGS}
        raise VendorError("TooManyTags", details=details, **details)
    for tag in tags:
        reason = None
        if tag == "":
            reason = TAG_RULES["empty"]
        elif len(tag) > MAX_TAG_LENGTH:
            reason = TAG_RULES["too_long"].format(length=len(tag), maximum=MAX_TAG_LENGTH)
        elif not re.fullmatch(TAG_PATTERN, tag):
            reason = TAG_RULES["pattern"]
        if reason is not None:
            raise VendorError("InvalidTag", details={"tag": tag, "reason": reason}, tag=tag, reason=reason)


def _invalid(code: str, value: Any, failure: str, reason: str) -> VendorError:
    error = CONFIG_FAILURES[failure].format(reason=reason)
    details = {"value": value, "error": {failure: reason}}
    return VendorError(code, details=details, value=json.dumps(value, indent=2), error=error)


def runtime_config(value: Any, *, community: bool) -> dict[str, Any]:
    """The stored form of a `runtime_config`, or 400 InvalidRuntimeConfig."""
    try:
        stored = configs.normalized("RuntimeConfig", value)
    except configs.ConfigError as error:
        raise _invalid("InvalidRuntimeConfig", value, "DeserializationFailed",
                       f"runtime_config{error.path}: {error.reason}") from None
    if community and stored["fault_tolerance"]["model"] not in (None, "none"):
        raise _invalid("InvalidRuntimeConfig", value, "EnterpriseFeature", "fault tolerance")
    reserved = configs.reserved_env(stored["env"])
    if reserved:
        raise _invalid("InvalidRuntimeConfig", value, "InvalidPipelineEnv",
                       RESERVED_ENV_REASON.format(names=", ".join(reserved)))
    return stored


def program_config(value: Any) -> dict[str, Any]:
    """The stored form of a `program_config`, or 400 InvalidProgramConfig."""
    try:
        return configs.normalized("ProgramConfig", value)
    except configs.ConfigError as error:
        raise _invalid("InvalidProgramConfig", value, "DeserializationFailed",
                       f"program_config{error.path}: {error.reason}") from None
