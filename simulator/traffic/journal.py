"""The request journal: a bounded ring buffer of requests and responses, secrets masked."""
from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import count
from typing import Any, NamedTuple, Protocol

from ..engine.secrets import SECRET_HEADERS, mask_header, mask_json, mask_query, mask_text

__all__ = ["KEPT_HEADER_ORDER", "KEPT_HEADERS", "Entry", "Journal", "RawBody", "Recorded", "RequestJournal",
           "body_for_journal", "mask_header", "masked_query", "readable", "select"]

KEPT_HEADERS = {"content-type", "content-length", "accept", "user-agent", "x-simulator-namespace",
                "x-simulator-fault", *SECRET_HEADERS}


# The kept headers in the order a request hands the journal their values (Recorded.header_values),
# each as the journal shows its name.
KEPT_HEADER_ORDER = tuple("-".join(part.capitalize() for part in name.split("-")) for name in sorted(KEPT_HEADERS))


def body_for_journal(raw: bytes, content_type: str, limit: int) -> Any:
    """JSON bodies parsed and masked, text truncated and masked, binary summarised; None when empty."""
    if not raw:
        return None
    if "json" in content_type:
        try:
            return _truncate_json(mask_json(json.loads(raw)), limit)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to walk: kept as text
            pass
    if content_type.startswith("text/") or "json" in content_type or "yaml" in content_type:
        text = mask_text(raw[:limit].decode("utf-8", "replace"))
        return text + (f"... ({len(raw)} bytes)" if len(raw) > limit else "")
    return f"<{len(raw)} bytes {content_type or 'unknown type'}>"


class RawBody(NamedTuple):
    """A body kept as (at most limit + 1) bytes, decoded only when the journal is read (a tuple:
    one is made on nearly every request, and a frozen dataclass costs a setattr call per field)."""

    data: bytes
    size: int
    content_type: str

    def decode(self, limit: int) -> Any:
        if self.size > limit and "json" in self.content_type:
            text = mask_text(self.data[:limit].decode("utf-8", "replace"))
            return text + f"... ({self.size} bytes)"
        return body_for_journal(self.data, self.content_type, limit)


def readable(body: Any, limit: int) -> Any:
    return body.decode(limit) if isinstance(body, RawBody) else body


def _truncate_json(value: Any, limit: int) -> Any:
    text = json.dumps(value)
    return value if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


@dataclass(slots=True)
class Entry:  # not frozen: a frozen dataclass costs a setattr call per field, on every request
    seq: int
    namespace: str
    method: str
    path: str
    query: str
    vendor: str | None
    operation: str | None
    status: int
    real_time: float
    virtual_time: float
    duration_ms: float
    request_headers: Mapping[str, str]
    request_body: Any
    response_body: Any
    faults: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


class Recorded(NamedTuple):
    """A vendor request as the pipeline hands it to the journal on every request: references and
    the values of the kept headers, nothing built. Masking the headers and the query,
    rounding the duration and making the Entry wait until the journal is read (done per request,
    they took about 5 of an in-process Sparrow GET's 67 us here).
    Until then the header values are kept as the client sent them, as request bodies are (RawBody);
    only `values()` reads them, and masks them."""

    namespace: str
    method: str
    path: str
    query: str  # as sent: masked by the journal
    vendor: str | None
    operation: str | None
    status: int
    real_time: float
    virtual_time: float
    seconds: float  # the request's duration
    header_values: tuple[str | None, ...]  # the request's value of each of KEPT_HEADER_ORDER, None if absent
    request_body: RawBody | None
    response_body: RawBody | None
    faults: tuple[str, ...]
    transport: str | None  # a transport fault's kind

    def values(self) -> dict[str, Any]:
        """Entry's fields but seq, as Journal.record takes them: the headers masked."""
        return {
            "namespace": self.namespace, "method": self.method, "path": self.path, "query": self.query,
            "vendor": self.vendor, "operation": self.operation, "status": self.status,
            "real_time": self.real_time, "virtual_time": self.virtual_time,
            "duration_ms": round(self.seconds * 1000, 3),
            "request_headers": {label: mask_header(label, value)
                                for label, value in zip(KEPT_HEADER_ORDER, self.header_values, strict=True)
                                if value is not None},
            "request_body": self.request_body, "response_body": self.response_body, "faults": self.faults,
            "extra": {"transport": self.transport} if self.transport else {},
        }


class RequestJournal(Protocol):
    """What the pipeline, the callbacks and the control API use of a journal, wherever it is kept
    (Journal in this process, simulator.shared.journal.SharedJournal in Redis)."""

    size: int
    body_limit: int

    @property
    def dropped(self) -> int: ...  # entries pushed out by newer ones since the last clear

    def record(self, **values: Any) -> Entry: ...  # Entry's fields but seq; the query is masked here

    def record_request(self, recorded: Recorded) -> None: ...  # the pipeline's: made an Entry when read

    def entries(self) -> list[Entry]: ...  # oldest first

    def clear(self) -> int: ...  # how many entries were removed

    def __len__(self) -> int: ...


def _entry(seq: int, values: dict[str, Any]) -> Entry:
    values["query"] = masked_query(values["query"])
    return Entry(seq=seq, **values)


def masked_query(query: str) -> str:
    """The query string as the journal keeps it: values of secret-named parameters masked."""
    return mask_query(query) if "=" in query else query


class Journal:
    def __init__(self, size: int = 1000, body_limit: int = 4096) -> None:
        self.size = size
        self.body_limit = body_limit
        self._entries: deque[Entry | tuple[int, Recorded]] = deque(maxlen=size)  # (seq, Recorded): the pipeline's
        self._lock = threading.Lock()
        self._seq = count(1)
        self.dropped = 0

    def record(self, **values: Any) -> Entry:
        with self._lock:
            entry = _entry(next(self._seq), values)
            self._keep(entry)
            return entry

    def record_request(self, recorded: Recorded) -> None:
        with self._lock:
            self._keep((next(self._seq), recorded))

    def _keep(self, item: Entry | tuple[int, Recorded]) -> None:
        if len(self._entries) == self.size:
            self.dropped += 1
        self._entries.append(item)

    def entries(self) -> list[Entry]:
        with self._lock:
            kept = list(self._entries)
        return [item if type(item) is Entry else _entry(item[0], item[1].values()) for item in kept]

    def clear(self) -> int:
        with self._lock:
            cleared = len(self._entries)
            self._entries.clear()
            self.dropped = 0
            return cleared

    def __len__(self) -> int:
        return len(self._entries)


def select(entries: Iterable[Entry], *, vendor: str | None = None, operation: str | None = None,
           status: int | None = None, method: str | None = None, path: str | None = None,
           since: float | None = None) -> list[Entry]:
    """Entries matching every filter given; `since` is a virtual time (inclusive)."""
    return [
        e for e in entries
        if (vendor is None or e.vendor == vendor)
        and (operation is None or e.operation == operation)
        and (status is None or e.status == status)
        and (method is None or e.method == method.upper())
        and (path is None or e.path.startswith(path))
        and (since is None or e.virtual_time >= since)
    ]
