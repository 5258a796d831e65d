"""Sparrow callbacks (reference section 3, INFERRED): the analysis object, POSTed on each change.

ANALYSIS_PROGRESS subscribers hear every status change; ANALYSIS_COMPLETE subscribers hear the
arrival in COMPLETE or STOP. Each callback's configured headers are added. A failed delivery
never affects the analysis.
"""
from __future__ import annotations

from ...engine import HistoryEntry, Resource
from ...engine.outbox import Notification
from .analyses import analysis
from .lifecycle import TERMINAL

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
