"""Sparrow analyses and requests: creation, seeding, and how they look on the wire."""
from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from ...engine import Resource, ResourceSpec, Transaction
from ...engine.secrets import mask_json
from ...engine.timefmt import iso_offset
from .codes import RESULT_CODES
from .lifecycle import TERMINAL

VENDOR = "sparrow"
KIND = "analysis"
FIRST_ANALYSIS_ID = 10001  # INFERRED: separate increasing counters
FIRST_REQUEST_ID = 5001
RISK_LEVELS = 5


def _requests(tx: Transaction) -> dict[str, list[str]]:
    """str(requestId) -> analysis ids, kept beside the store so a request lookup is O(1)."""
    return tx.data(VENDOR).setdefault("requests", {})


def _default_issues(analysis_id: int) -> list[int]:
    # Deterministic per id so two runs of a test see the same counts.
    return [(analysis_id * (3 + level)) % (7 - level) for level in range(RISK_LEVELS)]


def create_analysis(tx: Transaction, tool_type: str, body: dict[str, Any]) -> tuple[int, Resource]:
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
    _requests(tx).setdefault(str(request_id), []).append(resource.id)
    if fields["callbacks"]:
        tx.watch(resource)  # its status changes are posted even if nobody polls
    return request_id, resource


def _source_of(tool_type: str, body: dict[str, Any]) -> dict[str, Any]:
    if tool_type == "DAST":
        return {"type": "URL", "url": body["dastOptions"]["crawlerTargetSeedUrls"][0]}
    options = body["sastOptions" if tool_type == "SAST" else "scaOptions"]
    vcs = options["analysisSource"]["vcsInfo"]
    return {"type": "VCS", **{k: vcs.get(k) for k in ("url", "branch", "commitId", "tag")}}


def seed_analysis(tx: Transaction, spec: ResourceSpec) -> Resource:
    """A scenario entry: fields may name toolType, memo, requestId, issues, and failIn."""
    fields = dict(spec.fields)
    fields.setdefault("toolType", "SAST")
    fields.setdefault("memo", None)
    fields.setdefault("resultVersion", 2)
    fields.setdefault("callbacks", [])
    fields.setdefault("source", {"type": "VCS", "url": "https://example.com/demo.git"})
    if "requestId" in fields:
        tx.store.bump_counter(VENDOR, "request", int(fields["requestId"]))
    else:
        fields["requestId"] = tx.next_id(VENDOR, "request", FIRST_REQUEST_ID)
    tx.store.bump_counter(VENDOR, "analysis", int(spec.id))
    route = dict(spec.route)
    if fields.get("failIn"):
        route.setdefault(fields["failIn"], "COMPLETE")
        fields["result"] = "FAIL"
    old = tx.store.get(VENDOR, KIND, str(int(spec.id)))
    if old is not None:
        _requests(tx).get(str(old.fields["requestId"]), []).remove(old.id)
    resource = tx.create(
        VENDOR, KIND, str(int(spec.id)), fields=fields, state=spec.state, remaining=spec.remaining,
        route=route, timing=spec.timing, cause="seeded",
    )
    _requests(tx).setdefault(str(fields["requestId"]), []).append(resource.id)
    if fields["callbacks"]:
        tx.watch(resource)
    return resource


def analyses_of_request(tx: Transaction, request_id: int) -> list[Resource] | None:
    ids = _requests(tx).get(str(request_id))
    if ids is None:
        return None
    return [r for r in (tx.get(VENDOR, KIND, i) for i in ids) if r is not None]


# --- rendering -----------------------------------------------------------------------------------

def _outcome(resource: Resource) -> tuple[str | None, str | None]:
    """(result, resultCode): null while running."""
    if resource.state == "STOP":
        return "FAIL", RESULT_CODES["stopped"].code
    if resource.state == "COMPLETE":
        if resource.fields.get("result") == "FAIL":
            return "FAIL", RESULT_CODES["failed"].code
        return "SUCCESS", None
    return None, None


def _progress(resource: Resource, now: float) -> float:
    """Share of the issues found so far: grows across ANALYSIS, frozen when the analysis ends."""
    window = resource.fields.get("analysisWindow")
    if window is None or window[1] is None or window[1] <= window[0]:
        return 1.0 if resource.state in ("POST_PROCESS", "COMPLETE") else 0.0
    until = resource.entered_at if resource.state in TERMINAL else now
    return min(1.0, max(0.0, (until - window[0]) / (window[1] - window[0])))


def _issue_counts(resource: Resource, now: float) -> list[int]:
    totals = resource.fields.get("issues") or _default_issues(int(resource.id))
    share = _progress(resource, now)
    return [int(total * share) for total in totals]


def summary(resource: Resource, *, misspelled_request_key: bool = False) -> dict[str, Any]:
    item = {
        "analysisId": int(resource.id),
        "requestId": resource.fields["requestId"],
        "status": resource.state,
        "toolType": resource.fields["toolType"],
        "memo": resource.fields.get("memo"),
    }
    if misspelled_request_key:
        item["reqestId"] = item["requestId"]
    return item


def analysis(resource: Resource, now: float) -> dict[str, Any]:
    result, result_code = _outcome(resource)
    counts = _issue_counts(resource, now)
    body = summary(resource)
    body.update({
        "result": result,
        "resultCode": result_code,
        "startTime": iso_offset(resource.created_at),
        "endTime": iso_offset(resource.entered_at) if resource.state in TERMINAL else None,
        "issueCount": sum(counts),
    })
    body.update({f"issueCountRisk{level + 1}": count for level, count in enumerate(counts)})
    return body


def request_info(request_id: int, analyses: list[Resource], *, misspelled_request_key: bool) -> dict[str, Any]:
    return {
        "requestId": request_id,
        "result": "SUCCESS",
        "analysisList": [summary(r, misspelled_request_key=misspelled_request_key) for r in analyses],
    }


def result_archive(resource: Resource, now: float) -> bytes:
    """A tiny result.zip with only summary.json, as the reference allows."""
    body = analysis(resource, now)
    summary_json = {
        **{k: body[k] for k in ("analysisId", "requestId", "status", "result", "toolType", "startTime", "endTime",
                                "memo", "issueCount")},
        **{f"issueCountRisk{level}": body[f"issueCountRisk{level}"] for level in range(1, RISK_LEVELS + 1)},
        "resultVersion": resource.fields.get("resultVersion", 2),
        "source": mask_json(resource.fields.get("source")),  # INFERRED: no credentials of a repository URL
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("summary.json", date_time=(2026, 1, 1, 0, 0, 0))
        archive.writestr(info, json.dumps(summary_json, indent=2))
    return buffer.getvalue()
