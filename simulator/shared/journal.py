"""The request journal in Redis: every replica of a namespace appends to one bounded stream.

Keys (simulator.shared.connection.key): `journal` is a stream trimmed to exactly `size` entries on
each append; `journal:meta` is a hash holding `seq` (the last sequence number handed out, across all
processes; never reset, so seq keeps increasing through clears like the memory journal's) and
`dropped` (entries pushed out since the last clear).

A stream entry has the fields `seq`, `entry` (one JSON object: Entry's fields but seq and the raw
bodies) and, for a body kept as RawBody, `request` / `response` holding its bytes as they came, so
a body is decoded (and masked) only when the journal is read, as in the memory journal.

Round trips: record 1 (one EVALSHA; the script is loaded again once after a Redis restart),
entries 1 (XRANGE), clear 1 (one MULTI/EXEC), dropped 1, len 1. An entry that does not decode
(written by something else, or by a later version) is skipped by the reader.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import redis

from ..traffic.journal import Entry, RawBody, Recorded, masked_query
from .connection import key, reaching

__all__ = ["SharedJournal"]

# KEYS: stream, meta. ARGV: size, then the entry's field-value pairs but seq.
# The trim count is computed from the length before the append, so a replica started with another
# --journal-size still counts exactly what its own MAXLEN removes.
_RECORD = """
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
local size = tonumber(ARGV[1])
local over = redis.call('XLEN', KEYS[1]) + 1 - size
if over > 0 then redis.call('HINCRBY', KEYS[2], 'dropped', over) end
redis.call('XADD', KEYS[1], 'MAXLEN', size, '*', 'seq', seq, unpack(ARGV, 2))
return seq
"""

_TEXT_FIELDS = ("namespace", "method", "path", "query")
_OPTIONAL_TEXT_FIELDS = ("vendor", "operation")
_NUMBER_FIELDS = ("real_time", "virtual_time", "duration_ms")
_BODIES = (("request_body", b"request"), ("response_body", b"response"))


class SharedJournal:
    """The Journal interface (simulator.traffic.journal.RequestJournal) over one Redis stream."""

    def __init__(self, client: redis.Redis, namespace: str, size: int = 1000, body_limit: int = 4096) -> None:
        if client.get_connection_kwargs().get("decode_responses"):
            raise ValueError("the journal keeps bodies as bytes: use a client without decode_responses")
        if size < 0:
            raise ValueError("the journal's size cannot be negative")
        self.size = size
        self.body_limit = body_limit
        self._client = client
        self._stream = key(namespace, "journal")
        self._meta = key(namespace, "journal", "meta")
        self._record = client.register_script(_RECORD)

    def keys(self) -> list[str]:
        return [self._stream, self._meta]

    @property
    def dropped(self) -> int:
        with reaching():
            value = self._client.hget(self._meta, "dropped")
        return _count(value)

    def record(self, **values: Any) -> Entry:
        values["query"] = masked_query(values["query"])
        entry = Entry(seq=0, **values)  # checks the field names before anything is written
        args = _encode(entry)
        with reaching():
            entry.seq = int(self._record(keys=(self._stream, self._meta), args=(self.size, *args)))
        return entry

    def record_request(self, recorded: Recorded) -> None:
        self.record(**recorded.values())  # masked before it leaves the process

    def entries(self) -> list[Entry]:
        with reaching():
            found = self._client.xrange(self._stream)
        return [entry for _, fields in found if (entry := _decode(fields)) is not None]

    def clear(self) -> int:
        with reaching():
            with self._client.pipeline(transaction=True) as tx:
                cleared, _, _ = tx.xlen(self._stream).delete(self._stream).hset(self._meta, "dropped", 0).execute()
        return cleared

    def __len__(self) -> int:
        with reaching():
            return self._client.xlen(self._stream)


def _count(value: bytes | None) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:  # something else wrote there: nothing we counted
        return 0


def _encode(entry: Entry) -> list[Any]:
    """The stream fields of an entry, but seq (the script adds it)."""
    header: dict[str, Any] = {
        "namespace": entry.namespace, "method": entry.method, "path": entry.path, "query": entry.query,
        "vendor": entry.vendor, "operation": entry.operation, "status": entry.status,
        "real_time": entry.real_time, "virtual_time": entry.virtual_time, "duration_ms": entry.duration_ms,
        "request_headers": dict(entry.request_headers), "faults": list(entry.faults), "extra": dict(entry.extra),
    }
    fields: list[Any] = []
    for name, field in _BODIES:
        body = getattr(entry, name)
        if isinstance(body, RawBody):
            header[name] = {"raw": [body.size, body.content_type]}
            fields += (field, body.data)
        elif body is not None:
            header[name] = {"value": body}
    return [b"entry", json.dumps(header, separators=(",", ":")), *fields]


def _decode(fields: Mapping[bytes, bytes]) -> Entry | None:
    """The entry a stream item holds, or None when it is not one of ours (never raises)."""
    try:
        header = json.loads(fields[b"entry"])
        seq = int(fields[b"seq"])
        if not isinstance(header, dict):
            return None
        values = {name: _body(header.get(name), fields.get(field)) for name, field in _BODIES}
        if not _valid(header) or values["request_body"] is _INVALID or values["response_body"] is _INVALID:
            return None
        return Entry(
            seq=seq, **{name: header[name] for name in (*_TEXT_FIELDS, *_OPTIONAL_TEXT_FIELDS, *_NUMBER_FIELDS)},
            status=header["status"], request_headers=header["request_headers"], faults=tuple(header["faults"]),
            extra=header["extra"], **values,
        )
    except (KeyError, TypeError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


_INVALID = object()


def _body(spec: Any, data: bytes | None) -> Any:
    if spec is None:
        return None
    if not isinstance(spec, dict):
        return _INVALID
    if "value" in spec:
        return spec["value"]
    raw = spec.get("raw")
    if (isinstance(raw, list) and len(raw) == 2 and _is_int(raw[0]) and isinstance(raw[1], str)
            and isinstance(data, bytes)):
        return RawBody(data, raw[0], raw[1])
    return _INVALID


def _valid(header: dict[str, Any]) -> bool:
    """Every field has the type the control API and the filters rely on."""
    headers, faults = header.get("request_headers"), header.get("faults")
    return (all(isinstance(header.get(name), str) for name in _TEXT_FIELDS)
            and all(name in header and isinstance(header[name], str | None) for name in _OPTIONAL_TEXT_FIELDS)
            and _is_int(header.get("status"))
            and all(_is_number(header.get(name)) for name in _NUMBER_FIELDS)
            and isinstance(headers, dict) and all(isinstance(v, str) for v in headers.values())
            and isinstance(faults, list) and all(isinstance(f, str) for f in faults)
            and isinstance(header.get("extra"), dict))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)
