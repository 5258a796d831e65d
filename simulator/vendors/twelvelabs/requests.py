"""Create-batch rules beyond the field-by-field schema (reference section 3).

`defaults` gives every item the fields it does not set; an item's value replaces the default as a
whole (no deep merge). Two kinds of rules, each a 400 `parameter_invalid` naming its place:

- per object (`defaults` and each request as written): what the batch's analysis mode allows;
  openapi/twelvelabs.yaml expresses these in its two body shapes;
- per merged item: what every item needs once the defaults are in (a prompt in `general` mode, a
  response_format in `time_based_metadata` mode), unique custom_id, coherent times.
"""
from __future__ import annotations

from typing import Any

from ...kit.errors import VendorError

OPTIONAL_FIELDS = (
    "prompt", "response_format", "temperature", "max_tokens",
    "min_segment_duration", "max_segment_duration", "start_time", "end_time",
)
SEGMENTATION_ONLY = ("min_segment_duration", "max_segment_duration")
FORMAT_FIELDS = {"json_schema": ("json_schema",), "segment_definitions": ("segment_definitions",
                                                                            "segment_time_format")}
MODE_FORMAT = {"general": "json_schema", "time_based_metadata": "segment_definitions"}
MIN_TIME_RANGE = 2.0


class InvalidRequest(VendorError):
    """A broken rule, answered 400 parameter_invalid; the message names the place (`requests[3].prompt: ...`)."""

    def __init__(self, message: str) -> None:
        super().__init__("parameter_invalid", message)


def merged_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Each request with the defaults filled in, every rule checked."""
    defaults = body.get("defaults") or {}
    mode = body["analysis_mode"]
    _check_object(defaults, mode, "defaults")
    custom_ids: set[str] = set()
    items = []
    for index, request in enumerate(body["requests"]):
        where = f"requests[{index}]"
        _check_object(request, mode, where)
        item = {key: request[key] if key in request else defaults[key]
                for key in OPTIONAL_FIELDS if key in request or key in defaults}
        item["asset_id"] = request["video"]["asset_id"].lower()
        item["custom_id"] = request.get("custom_id")
        if item["custom_id"] is not None:
            if item["custom_id"] in custom_ids:
                raise InvalidRequest(f"{where}.custom_id: {item['custom_id']!r} is used by another item of the batch.")
            custom_ids.add(item["custom_id"])
        _check_merged(item, mode, where)
        items.append(item)
    return items


def _check_object(given: dict[str, Any], mode: str, where: str) -> None:
    """What `defaults` or one request may say in this analysis mode, as written."""
    if mode == "general":
        for key in SEGMENTATION_ONLY:
            if key in given:
                raise InvalidRequest(f"{where}.{key}: applies only when analysis_mode is time_based_metadata.")
    elif "prompt" in given:
        raise InvalidRequest(f"{where}.prompt: not supported when analysis_mode is time_based_metadata.")
    response_format = given.get("response_format")
    if response_format:
        _check_format(response_format, mode, f"{where}.response_format")
    for index, source in enumerate((given.get("prompt") or {}).get("media_sources") or []):
        _check_media_source(source, f"{where}.prompt.media_sources[{index}]")


def _check_format(response_format: dict[str, Any], mode: str, where: str) -> None:
    kind = response_format["type"]
    if kind != MODE_FORMAT[mode]:
        raise InvalidRequest(f"{where}.type: a {mode} batch takes type {MODE_FORMAT[mode]}.")
    if kind not in response_format:
        raise InvalidRequest(f"{where}.{kind}: required when type is {kind}.")
    for other, names in FORMAT_FIELDS.items():
        for name in names if other != kind else ():
            if name in response_format:
                raise InvalidRequest(f"{where}.{name}: only with type {other}.")
    for index, definition in enumerate(response_format.get("segment_definitions") or []):
        here = f"{where}.segment_definitions[{index}]"
        for range_index, window in enumerate(definition.get("time_ranges") or []):
            if window["end_time"] - window["start_time"] < MIN_TIME_RANGE:
                raise InvalidRequest(f"{here}.time_ranges[{range_index}].end_time: must be at least 2 seconds "
                                     "after start_time.")
        for source_index, source in enumerate(definition.get("media_sources") or []):
            _check_media_source(source, f"{here}.media_sources[{source_index}]")


def _check_media_source(source: dict[str, Any], where: str) -> None:
    given = [key for key in ("url", "asset_id", "base64_string") if key in source]
    if len(given) != 1:
        raise InvalidRequest(f"{where}: give exactly one of url, asset_id or base64_string.")


def _check_merged(item: dict[str, Any], mode: str, where: str) -> None:
    """What one item needs once the defaults are in."""
    if mode == "general" and "prompt" not in item:
        raise InvalidRequest(f"{where}.prompt: required when analysis_mode is general (on the item or in defaults).")
    if mode == "time_based_metadata" and "response_format" not in item:
        raise InvalidRequest(f"{where}.response_format: time_based_metadata needs a response_format of type "
                             "segment_definitions (on the item or in defaults).")
    if item.get("max_segment_duration", float("inf")) < item.get("min_segment_duration", 0):
        raise InvalidRequest(f"{where}.max_segment_duration: must be greater than or equal to min_segment_duration.")
    if "end_time" in item and item["end_time"] <= item.get("start_time", 0):
        raise InvalidRequest(f"{where}.end_time: must be greater than start_time.")
    if "start_time" in item or "end_time" in item:
        definitions = (item.get("response_format") or {}).get("segment_definitions") or []
        if any(definition.get("time_ranges") for definition in definitions):
            raise InvalidRequest(f"{where}.response_format: time_ranges cannot be combined with start_time or "
                                 "end_time.")
