"""Toasts from a scenario entry (the export is the engine's default entry)."""
from __future__ import annotations

from dataclasses import replace

from simulator.engine import Resource, ResourceSpec, Transaction

from .model import KIND, VENDOR


def seed_toast(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry; fields may name bread, level and ejected. The id counter moves past the
    seeded id, so a toast created afterwards never replaces a seeded one."""
    fields = {"bread": "white", "level": tx.settings(VENDOR)["default_level"], "ejected": False, **spec.fields}
    tx.store.bump_counter(VENDOR, KIND, int(spec.id))  # id_patterns: a positive whole number
    return tx.seed(replace(spec, fields=fields))
