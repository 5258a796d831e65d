"""Hooks a lifecycle table names before their module can be imported."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def deferred(module: str, name: str) -> Callable[..., Any]:
    """A hook that imports `module` and calls its `name` on first use.

    For `Lifecycle(notify=...)`: the notification payloads live in render.py, and render.py
    imports the lifecycle (its states), so lifecycle.py cannot import render.py at load time.
    """
    target: Callable[..., Any] | None = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal target
        if target is None:
            target = getattr(importlib.import_module(module), name)
        return target(*args, **kwargs)

    return call
