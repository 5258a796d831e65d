"""TRANSITIONAL (issue 15): what vendors not yet on the kit import. Removed once every vendor uses kit.vendor."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..kit.vendor import Vendor

__all__ = ["CapacityAnswer", "Vendor"]


@dataclass(frozen=True)
class CapacityAnswer:
    status: int
    code: Any
    message: str
