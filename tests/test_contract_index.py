"""The contract index reads only a spec's `paths`, and reads them the same however the file is written."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.contract import DEFAULT_OPENAPI_DIR, ContractIndex, Operation

SPEC_FILES = sorted(p.name for p in DEFAULT_OPENAPI_DIR.glob("*.yaml"))


def full_parse_operations(vendor: str, path: Path) -> list[Operation]:
    """What the index held when it parsed the whole document."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Operation(vendor, op["operationId"], method.upper(), route,
                      frozenset(int(code) for code in op.get("responses", {}) if str(code).isdigit()))
            for route, item in document["paths"].items()
            for method in ("get", "put", "post", "delete", "patch")
            if (op := (item or {}).get(method)) and "operationId" in op]


@pytest.mark.parametrize("file_name", SPEC_FILES)
def test_every_shipped_spec_gives_the_operations_of_a_full_parse(file_name):
    vendor = file_name.removesuffix(".yaml")
    index = ContractIndex.load({vendor: file_name})
    expected = full_parse_operations(vendor, DEFAULT_OPENAPI_DIR / file_name)
    assert expected and index.operations == expected


SPEC = """\
openapi: 3.0.3
info: {title: t, version: '1', x-ok: &ok {description: fine}}
paths:
  /things/{id}:
    get:
      operationId: getThing
      responses:
        '200': *ok
        '404': {description: missing}
components:
  schemas: {Thing: {type: object}}
"""


@pytest.mark.parametrize(("label", "text"), [
    ("an alias defined above paths", SPEC),
    ("flow style", yaml.safe_dump(yaml.safe_load(SPEC), default_flow_style=True)),
    ("paths last", SPEC.replace("components:\n  schemas: {Thing: {type: object}}\n", "")),
])
def test_specs_written_any_way_give_the_same_index(tmp_path, label, text):
    (tmp_path / "toy.yaml").write_text(text, encoding="utf-8")
    index = ContractIndex.load({"toy": "toy.yaml"}, tmp_path)
    assert index.operations == [Operation("toy", "getThing", "GET", "/things/{id}", frozenset({200, 404}))], label
    assert index.for_route("get", "/things/<id>").operation_id == "getThing"


def test_a_broken_spec_is_reported_with_its_line_in_the_whole_file(tmp_path):
    (tmp_path / "toy.yaml").write_text(SPEC.replace("'404': {description: missing}", "'404': [unclosed"),
                                       encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        ContractIndex.load({"toy": "toy.yaml"}, tmp_path)
    message = str(refused.value)
    assert message.startswith(f"{tmp_path / 'toy.yaml'}: not valid YAML:")
    assert "line 9, column 16" in message  # the unclosed list, counted in the file, not in the cut-out section
