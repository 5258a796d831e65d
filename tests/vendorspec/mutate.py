"""Negative inputs from the vendor's own request schemas (item 3 of issue 13).

Starting from a valid body, each mutant breaks one thing the schema states: a value of a type it
forbids, an enum value it does not list, a number past its minimum/maximum (or its int32/int64
format), a string or array past its length bounds, a required field left out. Only mutants the
vendor's schema really rejects are kept, so every one is an input the real server must refuse.
Deterministic and bounded: same spec and base body, same mutants, at most `limit` of them.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .oracle import Oracle

Path = tuple[str | int, ...]
WRONG_TYPES: tuple[tuple[str, Any], ...] = (
    ("a string", "not-a-valid-value"), ("a number", 12345), ("a boolean", True), ("an object", {"x": 1}),
    ("an array", [1]), ("null", None))
UNKNOWN_ENUM = "not-a-listed-value"  # differs from the wrong-type string: both are tried
# Past the format's range. With a minimum >= 0 the field is an unsigned Rust integer rendered as
# int32/int64 (utoipa), and the server takes its whole unsigned range: go past that instead.
FORMAT_LIMITS = {"int32": 2**31, "int64": 2**63}
UNSIGNED_LIMITS = {"int32": 2**32, "int64": 2**64}
WRONG_TYPES_PER_FIELD = 2
MAX_DEPTH = 3


@dataclass(frozen=True)
class Mutant:
    label: str  # what was broken, where: "runtime_config.workers: below minimum 0"
    body: Any


def _where(path: Path) -> str:
    return ".".join(str(p) for p in path) or "(body)"


def _replaced(body: Any, path: Path, value: Any, *, delete: bool = False) -> Any:
    out = copy.deepcopy(body)
    if not path:
        return value
    target = out
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


class Mutator:
    def __init__(self, oracle: Oracle, pointer: str, limit: int = 120) -> None:
        self.oracle = oracle
        self.root = {"$ref": f"{oracle.uri}#{pointer}"}
        self.validator = oracle.validator(pointer)
        self.limit = limit

    def mutants(self, body: Any) -> list[Mutant]:
        if not self.validator.is_valid(body):
            raise ValueError("the base body must be valid under the vendor's schema: "
                             + "; ".join(e.message for e in self.validator.iter_errors(body)))
        kept: list[Mutant] = []
        seen: set[str] = set()
        for mutant in self._walk(self.root, body, body, (), 0):
            key = json.dumps(mutant.body, sort_keys=True, default=str)
            if key not in seen and not self.validator.is_valid(mutant.body):
                seen.add(key)
                kept.append(mutant)
                if len(kept) == self.limit:
                    break
        return kept

    # --- schema views ----------------------------------------------------------------------------

    def view(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The schema with $refs followed, allOf merged and a nullable anyOf reduced to its non-null side."""
        schema = self.oracle.resolve(schema)
        merged = {k: v for k, v in schema.items() if k not in ("allOf", "anyOf", "oneOf")}
        for part in schema.get("allOf", ()):
            sub = self.view(part)
            merged.setdefault("properties", {}).update(sub.get("properties", {}))
            merged["required"] = [*merged.get("required", []), *sub.get("required", [])]
            for key, value in sub.items():
                merged.setdefault(key, value)
        alternatives = [s for s in [*schema.get("anyOf", ()), *schema.get("oneOf", ())]
                        if self.oracle.resolve(s).get("type") != "null"]
        if len(alternatives) == 1:
            for key, value in self.view(alternatives[0]).items():
                merged.setdefault(key, value)
        return merged

    # --- mutations -------------------------------------------------------------------------------

    def _walk(self, schema: dict[str, Any], body: Any, value: Any, path: Path, depth: int) -> Iterator[Mutant]:
        view = self.view(schema)
        yield from self._leaf(view, body, path)
        if depth >= MAX_DEPTH:
            return
        properties = view.get("properties", {})
        if isinstance(value, dict) and properties:
            for name in sorted(set(view.get("required", ())) & set(value)):
                yield Mutant(f"{_where(path + (name,))}: required, left out", _replaced(body, path + (name,), None,
                                                                                         delete=True))
            for name in sorted(properties):
                if name in value:
                    yield from self._walk(properties[name], body, value[name], path + (name,), depth + 1)
                else:  # an optional field the base body leaves out: set it to what it may not be
                    yield from self._leaf(self.view(properties[name]), body, path + (name,))
        items = view.get("items")
        if isinstance(value, list) and value and isinstance(items, dict):
            yield from self._walk(items, body, value[0], path + (0,), depth + 1)

    def _leaf(self, view: dict[str, Any], body: Any, path: Path) -> Iterator[Mutant]:
        where = _where(path)
        wrong = 0
        for name, candidate in WRONG_TYPES:
            mutant = _replaced(body, path, candidate)
            if wrong < WRONG_TYPES_PER_FIELD and not self.validator.is_valid(mutant):
                wrong += 1
                yield Mutant(f"{where}: {name}", mutant)
        if "enum" in view:
            yield Mutant(f"{where}: unknown enum value", _replaced(body, path, UNKNOWN_ENUM))
        kinds = view.get("type")
        integer = kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds)
        step = 1 if integer else 0.5
        if "minimum" in view:
            yield Mutant(f"{where}: below minimum {view['minimum']}", _replaced(body, path, view["minimum"] - step))
        if "exclusiveMinimum" in view:
            yield Mutant(f"{where}: at exclusive minimum", _replaced(body, path, view["exclusiveMinimum"]))
        if "maximum" in view:
            yield Mutant(f"{where}: above maximum {view['maximum']}", _replaced(body, path, view["maximum"] + step))
        if "exclusiveMaximum" in view:
            yield Mutant(f"{where}: at exclusive maximum", _replaced(body, path, view["exclusiveMaximum"]))
        if view.get("format") in FORMAT_LIMITS:
            unsigned = view.get("minimum", -1) >= 0
            limit = (UNSIGNED_LIMITS if unsigned else FORMAT_LIMITS)[view["format"]]
            yield Mutant(f"{where}: past {'unsigned ' if unsigned else ''}{view['format']}",
                         _replaced(body, path, limit))
        if view.get("minLength"):
            yield Mutant(f"{where}: shorter than {view['minLength']}", _replaced(body, path, ""))
        if "maxLength" in view:
            too_long = "x" * (view["maxLength"] + 1)
            yield Mutant(f"{where}: longer than {view['maxLength']}", _replaced(body, path, too_long))
        if view.get("minItems"):
            yield Mutant(f"{where}: fewer than {view['minItems']} items", _replaced(body, path, []))
