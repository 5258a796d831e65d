"""The scenarios shipped with the package (the repository's scenarios/, installed as
`simulator.scenarios`), and loading scenarios given as a file or a shipped name.

A reference is a file when such a file exists, else the name of a shipped scenario (`default`,
`sparrow-init-stop`, ...), so `simulator serve --scenario default` works from any directory.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import yaml

from .engine import Scenario, ScenarioError
from .engine.model import VendorModel
from .engine.scenario import Problem, load_scenario_file, parse_scenario_text
from .traffic.faults import Contract, scenario_faults

SHIPPED_DIR = Path(str(resources.files("simulator.scenarios")))


def shipped_names() -> list[str]:
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml"))


def shipped_path(name: str) -> Path | None:
    """The shipped scenario's file; None for any other name (never a path outside the directory)."""
    return SHIPPED_DIR / f"{name}.yaml" if name in shipped_names() else None


def describe_shipped() -> list[dict[str, str]]:
    """[{name, description}] of every shipped scenario, the description on one line."""
    items = []
    for name in shipped_names():
        document = yaml.safe_load(shipped_path(name).read_text(encoding="utf-8")) or {}
        description = " ".join(str(document.get("description") or "").split())
        items.append({"name": name, "description": description})
    return items


def load_shipped(name: str, vendors: Mapping[str, VendorModel], contract: Contract | None = None) -> Scenario:
    """Raises LookupError for a name that is not shipped."""
    path = shipped_path(name)
    if path is None:
        raise LookupError(name)
    text = path.read_text(encoding="utf-8")
    return parse_scenario_text(text, vendors, f"scenarios/{name}.yaml", scenario_faults(contract))


def load_reference(reference: str, vendors: Mapping[str, VendorModel], contract: Contract | None = None) -> Scenario:
    """A scenario file, or when no such file exists, the shipped scenario of that name."""
    if not Path(reference).exists() and shipped_path(reference) is not None:
        return load_shipped(reference, vendors, contract)
    if not Path(reference).exists() and "/" not in reference and not reference.endswith((".yaml", ".yml")):
        raise ScenarioError(reference, [Problem("", "no such file, and no shipped scenario of that name; shipped: "
                                                    + ", ".join(shipped_names()))])
    return load_scenario_file(reference, vendors, scenario_faults(contract))


class ScenariosRefused(ScenarioError):
    """Every bad scenario of a list, reported at once (each line names its own file)."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        self.errors = errors
        super().__init__(errors[0].source, [problem for error in errors for problem in error.problems])

    def lines(self) -> list[str]:
        return [line for error in self.errors for line in error.lines()]

    def as_json(self) -> list[dict[str, str]]:
        return [item for error in self.errors for item in error.as_json()]


def load_references(references: Iterable[str], vendors: Mapping[str, VendorModel],
                    contract: Contract | None = None) -> list[Scenario]:
    """Load every reference in order; raises ScenariosRefused naming every bad one."""
    loaded, errors = [], []
    for reference in references:
        try:
            loaded.append(load_reference(reference, vendors, contract))
        except ScenarioError as exc:
            errors.append(exc)
    if errors:
        raise ScenariosRefused(errors)
    return loaded
