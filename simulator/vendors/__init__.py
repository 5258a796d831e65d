"""Vendor packages. Each sub-package exposes `VENDOR`, a `kit.vendor.Vendor`; they are found, not listed."""
from __future__ import annotations

import importlib
import pkgutil

from ..kit.vendor import Vendor


def discover() -> dict[str, Vendor]:
    vendors: dict[str, Vendor] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.ispkg:
            continue
        vendor = getattr(importlib.import_module(f"{__name__}.{module.name}"), "VENDOR", None)
        if isinstance(vendor, Vendor):
            vendors[vendor.name] = vendor
    return vendors


__all__ = ["Vendor", "discover"]
