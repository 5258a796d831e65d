"""What seeding one scenario entry creates, found by seeding it alone in a scratch simulation.

Vendor-agnostic knowledge of vendor records: the fields a default seeding always gives a resource
(so a `restore: exact` entry can be checked to hold them too, instead of failing later with a
KeyError when the vendor renders it), and the companion resources created with it under the same
id (Feldera's program and storage beside a pipeline), so a scenario load can count what it adds.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import VendorModel


@dataclass(frozen=True)
class Footprint:
    fields: dict[str, Any]
    companions: tuple[str, ...]  # kinds created with it, under the same id


_CACHE: dict[tuple[str, str], Footprint | None] = {}


def footprint(vendors: Mapping[str, VendorModel], vendor: str, kind: str, id: str) -> Footprint | None:
    """The footprint of `vendor.kind` (None if its default seeding fails: then nothing is checked)."""
    key = (vendor, kind)
    if key not in _CACHE:
        _CACHE[key] = _seed_alone(vendors, vendor, kind, id)
    return _CACHE[key]


def _seed_alone(vendors: Mapping[str, VendorModel], vendor: str, kind: str, id: str) -> Footprint | None:
    from .scenario import ResourceSpec  # the scenario module uses this one while parsing
    from .simulation import Simulation, Transaction

    scratch = Simulation(vendors)
    try:
        with scratch.transaction() as tx:
            seeded = (vendors[vendor].seed or Transaction.seed)(tx, ResourceSpec(vendor=vendor, kind=kind, id=id))
    except Exception:  # noqa: BLE001 - a vendor whose default seeding needs more simply gets no check
        return None
    companions = tuple(r.kind for r in scratch.store if r is not seeded and r.vendor == vendor and r.id == seeded.id)
    return Footprint(fields=dict(seeded.fields), companions=companions)
