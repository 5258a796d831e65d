"""A resource as its vendor's own GET returns it, for the dashboard's detail panel.

Each entry renders the body the way the vendor's route does and names the path a client would
call. The page reads it through the control API instead of calling the vendor path, so looking
at a resource is not journalled and never meets a fault rule.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine import Resource, Transaction
from ..vendors.feldera import pipelines as feldera_pipelines
from ..vendors.feldera import render as feldera_render
from ..vendors.hiveon import deployments as hiveon_deployments
from ..vendors.sparrow import render as sparrow_render
from ..vendors.twelvelabs import batches as twelvelabs_batches
from ..vendors.twelvelabs import render as twelvelabs_render
from ..vendors.wrappers import render as wrappers_render


@dataclass(frozen=True)
class View:
    path: str  # the client's GET path, with {id}
    render: Callable[[Transaction, Resource], dict[str, Any] | None]  # None: the vendor would answer 404


def _feldera_pipeline(tx: Transaction, resource: Resource) -> dict[str, Any] | None:
    # A pipeline's program and storage are parts of it: each shows the whole pipeline.
    pipeline = feldera_pipelines.find(tx, resource.id)
    generation = tx.settings("feldera")["api_generation"]
    return None if pipeline is None else feldera_render.pipeline(pipeline, "all", generation=generation)


def _twelvelabs_batch(tx: Transaction, resource: Resource) -> dict[str, Any] | None:
    batch = twelvelabs_batches.find_batch(tx, resource.id)  # None once the batch's retention is over
    return None if batch is None else twelvelabs_render.batch(batch, tx.now)


_PIPELINE = View("/v0/pipelines/{id}", _feldera_pipeline)

VIEWS: dict[str, View] = {
    "sparrow.analysis": View("/api/v3/analysis/{id}", lambda tx, r: sparrow_render.analysis(r, tx.now)),
    "feldera.pipeline": _PIPELINE,
    "feldera.program": _PIPELINE,
    "feldera.storage": _PIPELINE,
    "twelvelabs.batch": View("/v1.3/analyze/batches/{id}", _twelvelabs_batch),
    "hiveon.deployment": View("/vendors/v1/machines/deployments/{id}",
                              lambda tx, r: hiveon_deployments.deployment(r)),
    "wrappers.wrapper": View("/resources/wrappers/{id}", wrappers_render.dashboard_wrapper),
    "wrappers.file": View("/resources/wrappers/files/{id}", wrappers_render.dashboard_file),
}
