"""How Sparrow analyses and requests look on the wire, in result.zip and in callbacks.

Callbacks (reference section 3, INFERRED): the analysis object, POSTed on each change.
ANALYSIS_PROGRESS subscribers hear every status change; ANALYSIS_COMPLETE subscribers hear the
arrival in COMPLETE or STOP. Each callback's configured headers are added. A failed delivery
never affects the analysis.
"""
from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from ...engine import HistoryEntry, Resource, Transaction
from ...engine.outbox import Notification
from ...engine.secrets import mask_json
from ...engine.timefmt import iso_offset
from .codes import RESULT_CODES
from .lifecycle import TERMINAL

RISK_LEVELS = 5


def _default_issues(analysis_id: int) -> list[int]:
    # Deterministic per id so two runs of a test see the same counts.
    return [(analysis_id * (3 + level)) % (7 - level) for level in range(RISK_LEVELS)]



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


def dashboard_view(tx: Transaction, resource: Resource) -> dict[str, Any]:
    return analysis(resource, tx.now)


PROGRESS = "ANALYSIS_PROGRESS"
COMPLETE = "ANALYSIS_COMPLETE"
QUIET_CAUSES = frozenset({"created", "seeded", "restored"})  # not a status change


def analysis_as_of(resource: Resource, entry: HistoryEntry) -> dict:
    body = analysis(resource, entry.at)
    if body["status"] != entry.state:  # several steps were replayed at once: describe this one
        body.update(status=entry.state, result=None, resultCode=None, endTime=None)
    return body


def notifications(resource: Resource, entry: HistoryEntry) -> list[Notification]:
    if entry.cause in QUIET_CAUSES:
        return []
    outgoing = []
    for callback in resource.fields.get("callbacks") or []:
        events = callback.get("type") or []
        wanted = [e for e in (PROGRESS, COMPLETE) if e in events and (e == PROGRESS or entry.state in TERMINAL)]
        if not wanted:
            continue
        headers = {h["key"]: h["value"] for h in callback.get("headers") or []}
        payload = analysis_as_of(resource, entry)
        outgoing += [Notification(url=callback["url"], payload=payload, event=event, resource=resource.key,
                                  due_at=entry.at, headers=headers) for event in wanted]
    return outgoing
