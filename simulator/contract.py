"""The documented contract (openapi/<vendor>.yaml) as data: operations, their statuses, their routes.

Fault rules name operations by operationId and may only pick documented statuses; the journal
labels each request with its operation.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

# libyaml's safe loader when PyYAML was built with it: the vendor specs are large
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_parsed: dict[tuple[Path, float], list] = {}  # (file, mtime) -> operations: parse each spec once per process
_parsed_lock = threading.Lock()

# openapi/ travels as the package `simulator.openapi` (setup.py): the same files in a checkout,
# an editable install and an installed wheel.
DEFAULT_OPENAPI_DIR = Path(str(resources.files("simulator.openapi")))
METHODS = ("get", "put", "post", "delete", "patch")
# A block-style document's top-level `paths:` line and the next top-level line after it
_PATHS_KEY = re.compile(r"^paths:", re.M)
_TOP_LEVEL_LINE = re.compile(r"^[^\s#]", re.M)
_PATH_PARAM = re.compile(r"\{[^}]+\}")
_FLASK_PARAM = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Operation:
    vendor: str
    operation_id: str
    method: str
    path: str
    statuses: frozenset[int]


def path_template(path: str) -> str:
    """'/v/{name}/x' and Flask's '/v/<name>/x' both -> '/v/{}/x'."""
    return _FLASK_PARAM.sub("{}", _PATH_PARAM.sub("{}", path))


class ContractIndex:
    def __init__(self, operations: list[Operation]) -> None:
        self.operations = operations
        self._by_route = {(op.method, path_template(op.path)): op for op in operations}
        self.by_vendor: dict[str, dict[str, frozenset[int]]] = {}
        for op in operations:
            self.by_vendor.setdefault(op.vendor, {})[op.operation_id] = op.statuses

    def for_route(self, method: str, rule: str) -> Operation | None:
        return self._by_route.get((method.upper(), path_template(rule)))

    @classmethod
    def load(cls, spec_files: Mapping[str, str], directory: Path = DEFAULT_OPENAPI_DIR) -> ContractIndex:
        """spec_files: vendor name -> file name in `directory`. A missing file contributes nothing."""
        operations = []
        for vendor, file_name in spec_files.items():
            path = directory / file_name
            if path.exists():
                operations += _operations_of(vendor, path)
        return cls(operations)


def _operations_of(vendor: str, path: Path) -> list[Operation]:
    key = (path.resolve(), path.stat().st_mtime)
    with _parsed_lock:
        if key in _parsed:
            return _parsed[key]
    document = _paths_document(path.read_text(encoding="utf-8"), path)
    operations = []
    for route, item in (document.get("paths") or {}).items():
        for method in METHODS:
            operation = (item or {}).get(method)
            if not operation or "operationId" not in operation:
                continue
            statuses = frozenset(int(code) for code in operation.get("responses", {}) if str(code).isdigit())
            operations.append(Operation(vendor, operation["operationId"], method.upper(), route, statuses))
    with _parsed_lock:
        _parsed[key] = operations
    return operations


def _paths_document(text: str, path: Path) -> dict:
    """The spec's `paths` (all the index reads), parsing only that section when it can.

    Components are two thirds of a spec and most of its parse time at start-up; the whole document
    is parsed when the section cannot be cut out cleanly (flow style, an alias defined above it).
    """
    start = _PATHS_KEY.search(text)
    if start is not None:
        end = _TOP_LEVEL_LINE.search(text, start.end())
        try:
            document = _load(text[start.start():end.start() if end else len(text)])
        except yaml.YAMLError:
            document = None
        if isinstance(document, dict):
            return document
    try:
        document = _load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    return document


def _load(text: str):
    return yaml.load(text, Loader=_SafeLoader)  # safe: SafeLoader family
