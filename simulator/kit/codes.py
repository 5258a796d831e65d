"""One row of a vendor's error-code table: `codes.py` maps the simulator's name for each situation
to what the vendor answers. Keep every INFERRED value in that table, nowhere else."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorCode:
    status: int | None  # None: a code stored on a resource, never an HTTP answer
    code: Any  # what the wire shows: a string, or a number (gRPC)
    message: str  # a str.format template over the error's parameters

    def text(self, **params: Any) -> str:
        return self.message.format(**params) if params else self.message
