"""The vendored vendor specs are the project's shared ones, byte for byte, and a missing one fails loudly."""
from __future__ import annotations

import hashlib
import re

import pytest

from .specs import SHARED, SPECS, VENDORED, load, schema_30, spec_path


def _recorded_digests() -> dict[str, str]:
    table = (VENDORED / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+\.json)` \|.*\| `([0-9a-f]{64})` \|$", table, re.MULTILINE))


def test_vendored_specs_match_their_recorded_digests_and_the_shared_copies():
    digests = _recorded_digests()
    assert set(digests) == {spec.file for spec in SPECS.values()}
    for file, digest in digests.items():
        data = (VENDORED / file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{file} differs from the digest in README.md"
        shared = SHARED / file
        if shared.exists():  # CI and the project's checkout keep shared/ beside the clone
            assert shared.read_bytes() == data, f"{file} differs from {shared}: copy it again"


def test_a_missing_spec_is_an_error_naming_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("VENDOR_SPECS_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "twelvelabs-openapi.json"))):
        spec_path("twelvelabs")
    monkeypatch.delenv("VENDOR_SPECS_DIR")
    assert spec_path("twelvelabs") == VENDORED / "twelvelabs-openapi.json"


def test_openapi_30_nullable_becomes_json_schema():
    assert schema_30({"type": "string", "nullable": True}) == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert schema_30({"allOf": [{"$ref": "#/x"}], "nullable": True}) == {
        "anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"type": "null"}]}
    nested = schema_30({"type": "object", "properties": {"nullable": {"type": "integer", "nullable": True}}})
    assert nested["properties"]["nullable"] == {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    assert schema_30({"type": "number", "minimum": 0, "exclusiveMinimum": True}) == {
        "type": "number", "exclusiveMinimum": 0}
    converted = load("feldera")["components"]["schemas"]["PostPutPipeline"]["allOf"][1]["properties"]["udf_rust"]
    assert converted == {"anyOf": [{"type": "string"}, {"type": "null"}]}
