"""Sparrow's operations on the engine: one function per operationId, no Flask. Refusals are
VendorErrors naming a row of codes.RESULT_CODES."""
from __future__ import annotations

import re
from typing import Any

from ...engine import Resource, Transaction
from ...kit.errors import VendorError
from . import render

VENDOR = "sparrow"
KIND = "analysis"
FIRST_ANALYSIS_ID = 10001  # INFERRED: separate increasing counters
FIRST_REQUEST_ID = 5001
_DIGITS = re.compile(r"^[0-9]{1,18}$")  # ids are positive 64-bit integers; 18 digits always fit


def requests_index(tx: Transaction) -> dict[str, list[str]]:
    """str(requestId) -> analysis ids, kept beside the store so a request lookup is O(1)."""
    return tx.index(VENDOR, "requests")


def numeric_id(text: str) -> str:
    if not _DIGITS.match(text) or int(text) < 1:
        shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"
        raise VendorError("invalid_parameter", f"Path id {shown!r} must be a positive integer of at most 18 digits.")
    return str(int(text))


def create_analysis(tx: Transaction, tool_type: str, body: dict[str, Any]) -> dict[str, Any]:
    """createSast / createSca / createDast: a request with one analysis."""
    request_id = tx.next_id(VENDOR, "request", FIRST_REQUEST_ID)
    analysis_id = tx.next_id(VENDOR, "analysis", FIRST_ANALYSIS_ID)
    fields = {
        "requestId": request_id,
        "toolType": tool_type,
        "memo": body.get("memo"),
        "resultVersion": body.get("resultVersion", 2),
        "callbacks": body.get("callbacks", []),
        "source": _source_of(tool_type, body),
    }
    resource = tx.create(VENDOR, KIND, str(analysis_id), fields=fields)
    requests_index(tx).setdefault(str(request_id), []).append(resource.id)
    if fields["callbacks"]:
        tx.watch(resource)  # its status changes are posted even if nobody polls
    return render.request_info(request_id, [resource], misspelled_request_key=_misspelled(tx))


def _source_of(tool_type: str, body: dict[str, Any]) -> dict[str, Any]:
    if tool_type == "DAST":
        return {"type": "URL", "url": body["dastOptions"]["crawlerTargetSeedUrls"][0]}
    options = body["sastOptions" if tool_type == "SAST" else "scaOptions"]
    vcs = options["analysisSource"]["vcsInfo"]
    return {"type": "VCS", **{k: vcs.get(k) for k in ("url", "branch", "commitId", "tag")}}


def _misspelled(tx: Transaction) -> bool:
    return tx.settings(VENDOR)["misspelled_request_key"]


def get_request(tx: Transaction, request_id: str) -> dict[str, Any]:
    rid = int(numeric_id(request_id))
    ids = requests_index(tx).get(str(rid))
    if ids is None:
        raise VendorError("request_not_found")
    found = [r for r in (tx.get(VENDOR, KIND, i) for i in ids) if r is not None]
    return render.request_info(rid, found, misspelled_request_key=_misspelled(tx))


def find_analysis(tx: Transaction, analysis_id: str) -> Resource:
    resource = tx.get(VENDOR, KIND, numeric_id(analysis_id))
    if resource is None:
        raise VendorError("analysis_not_found")
    return resource


def get_analysis(tx: Transaction, analysis_id: str) -> dict[str, Any]:
    return render.analysis(find_analysis(tx, analysis_id), tx.now)


def stop_analysis(tx: Transaction, analysis_id: str) -> dict[str, Any]:
    """The table decides (lifecycle.ANALYSIS); a refusal names its row of RESULT_CODES."""
    resource = find_analysis(tx, analysis_id)
    tx.act(resource, "stop")
    # INFERRED: the analysis as it is right after the call (STOP, still INIT, or POST_PROCESS).
    return render.analysis(resource, tx.now)


def download_result(tx: Transaction, analysis_id: str) -> bytes:
    resource = find_analysis(tx, analysis_id)
    if resource.state != "COMPLETE" or render.analysis(resource, tx.now)["result"] != "SUCCESS":
        raise VendorError("not_success")
    return render.result_archive(resource, tx.now)
