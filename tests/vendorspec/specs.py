"""The vendors' own OpenAPI files, loaded once and made plain JSON Schema (2020-12).

The files are vendored in tests/vendor-specs (copies of the project's shared/vendor-specs, checked
byte for byte by test_specs.py). VENDOR_SPECS_DIR points the oracle at another directory instead,
for instance to try a newer vendor release; a file missing there is an error, never a skip.
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "tests" / "vendor-specs"
SHARED = ROOT.parent / "shared" / "vendor-specs"


@dataclass(frozen=True)
class SpecFile:
    vendor: str
    file: str
    prefix: str  # the server URL's path: the spec's paths are relative to it
    openapi_30: bool  # OpenAPI 3.0 (`nullable`) rather than 3.1 (JSON Schema already)


SPECS = {
    "feldera": SpecFile("feldera", "feldera-openapi.json", "", openapi_30=True),
    # The legacy API generation (settings.feldera.api_generation: legacy) answers as release 0.127 did.
    "feldera-legacy": SpecFile("feldera", "feldera-openapi-v0.127.0.json", "", openapi_30=True),
    "twelvelabs": SpecFile("twelvelabs", "twelvelabs-openapi.json", "/v1.3", openapi_30=False),
}


def spec_dir() -> Path:
    override = os.environ.get("VENDOR_SPECS_DIR")
    return Path(override) if override else VENDORED


def spec_path(name: str) -> Path:
    path = spec_dir() / SPECS[name].file
    if not path.is_file():
        raise FileNotFoundError(
            f"the {name} vendor spec is missing: {path} (vendored copies live in {VENDORED}; "
            f"VENDOR_SPECS_DIR, if set, must hold {', '.join(s.file for s in SPECS.values())})")
    return path


@cache
def load(name: str) -> dict[str, Any]:
    """The spec document with every schema in JSON Schema 2020-12 terms."""
    document = json.loads(spec_path(name).read_text(encoding="utf-8"))
    if SPECS[name].openapi_30:
        document = openapi30_to_json_schema(document)
    return document


# --- OpenAPI 3.0 schema objects -> JSON Schema ---------------------------------------------------

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = ("items", "additionalProperties", "not", "if", "then", "else", "contains",
                  "propertyNames", "unevaluatedProperties", "unevaluatedItems")


def schema_30(schema: Any) -> Any:
    """One 3.0 schema object as JSON Schema: `nullable: true` becomes `anyOf [..., null]`."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: schema_30(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [schema_30(sub) for sub in value]
        elif key in _SCHEMA_VALUES:
            out[key] = schema_30(value)
        elif key == "exclusiveMinimum" and isinstance(value, bool):
            continue  # 3.0's boolean form; folded in below
        elif key == "exclusiveMaximum" and isinstance(value, bool):
            continue
        else:
            out[key] = value
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if schema.get(flag) is True and bound in out:
            out[flag] = out.pop(bound)
    if out.pop("nullable", False) is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def openapi30_to_json_schema(document: dict[str, Any]) -> dict[str, Any]:
    """Converts component schemas and every parameter, request and response schema in place (a copy)."""
    document = copy.deepcopy(document)
    components = document.get("components", {})
    components["schemas"] = {name: schema_30(s) for name, s in components.get("schemas", {}).items()}
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if "schema" in parameter:
                    parameter["schema"] = schema_30(parameter["schema"])
            media_holders = [operation.get("requestBody") or {}, *operation.get("responses", {}).values()]
            for holder in media_holders:
                for media in (holder.get("content") or {}).values():
                    if "schema" in media:
                        media["schema"] = schema_30(media["schema"])
    return document
