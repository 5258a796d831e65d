"""A namespace whose state lives in Redis, shared by every simulator process pointed at it.

Each process keeps a local copy (the memory store, dicts, clock) and Redis holds the truth:
- each request's first hook brings the copy up to date in one round trip (PEEK: Redis' TIME, the
  changes other processes logged since this copy's version, the fault rules' version);
- a transaction's body runs on the copy, exactly as in memory (the engine and vendors cannot tell);
  at its end, what it touched is compared with what this copy last stored and only the differences
  are written, by one script;
- a vendor request's transactions are optimistic: a read writes nothing, a write commits with
  compare-and-set on the namespace's version; a view that lost to another process is undone here and
  run again under the namespace's lease (ACQUIRE ... COMMIT, fenced: the commit checks the lease is
  still ours). Control calls and the dispatcher always take the lease.
So a read-evaluate-write is atomic across processes, and a GET costs two round trips (the refresh,
the journal's record). A copy that fell too far behind, or whose namespace was reset by another
process, is reloaded whole.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import redis

from ..engine import Scenario, Simulation
from ..engine.clock import VirtualClock
from ..engine.model import VendorModel
from ..namespace import Namespace
from .codec import decode, decode_resource, encode, encode_resource
from .connection import StoreUnavailable, reaching
from .faults import SharedFaultBook
from .journal import SharedJournal
from .keys import NAMESPACES, NamespaceKeys, unique
from .outbox import SharedOutbox
from .scripts import ACQUIRE, CAS, COMMIT, LEASE, PEEK, PRUNE_OUTBOX, RELEASE
from .tracking import TrackedDict, TrackingStore

LOCK_TTL_MS = 10_000  # a process that dies holding a namespace's lock blocks it this long at most
BULK_LOCK_TTL_MS = 300_000  # a scenario load of many resources holds it longer
LOCK_WAIT = 15.0  # seconds a transaction waits for the lock before answering "unavailable"
LOG_LENGTH = 4096  # change-log entries kept: a process further behind reloads the namespace
LOG_ADDRESSES = 5000  # a transaction changing more logs "reload" instead of each address
DELIVERY_LEASE_MS = 8_000  # the dispatcher's lease, extended at each attempt (at most 3 s each); another process
# takes over when it runs out
DELIVERY_WAIT = 30.0  # seconds a clock change waits for another process's delivery run to end
META_FIELDS = ("clock", "timing", "auth", "settings", "scenarios")


class Scripts:
    """The Lua scripts, registered once per client."""

    def __init__(self, client: redis.Redis) -> None:
        self.peek = client.register_script(PEEK)
        self.acquire = client.register_script(ACQUIRE)
        self.commit = client.register_script(COMMIT)
        self.cas = client.register_script(CAS)
        self.lease = client.register_script(LEASE)
        self.release = client.register_script(RELEASE)
        self.prune_outbox = client.register_script(PRUNE_OUTBOX)


_MODE = threading.local()  # this thread's request: .optimistic (a vendor request), .view (in its view)


@contextmanager
def _pessimistic() -> Iterator[None]:
    saved = getattr(_MODE, "optimistic", False), getattr(_MODE, "view", False)
    _MODE.optimistic = _MODE.view = False
    try:
        yield
    finally:
        _MODE.optimistic, _MODE.view = saved


def _containers_copied(value: Any) -> Any:
    """Parsed arguments with their dicts and lists copied (an uploaded file, say, is kept as it is)."""
    if isinstance(value, dict):
        return {k: _containers_copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_containers_copied(v) for v in value]
    return value


def _rewind(values: Any) -> None:
    """Uploaded files among the arguments read again from their start (the first run read them)."""
    for value in values:
        if isinstance(value, dict):
            _rewind(value.values())
        elif isinstance(value, list):
            _rewind(value)
        elif hasattr(getattr(value, "stream", None), "seek"):
            value.stream.seek(0)


class Conflict(Exception):
    """An optimistic transaction lost to another process's write (its changes are undone here)."""


class Changes:
    """What a transaction changed: the writes for Redis, and what this copy then holds as stored
    (taken only once Redis has them: until then an undo restores the stored state)."""

    __slots__ = ("ops", "stored", "resources", "entries")

    def __init__(self) -> None:
        self.ops: list[Any] = []
        self.stored: list[tuple[dict, Any, bytes | None]] = []  # (mapping, key, encoded or None: gone)
        self.resources: list[tuple[str, str, str]] = []  # touched, for an undo
        self.entries: list[tuple[str, str, str]] = []  # (vendor, index, key) touched, for an undo

    def adopt(self) -> None:
        for mapping, name, encoded in self.stored:
            if encoded is None:
                mapping.pop(name, None)
            else:
                mapping[name] = encoded


class SharedNamespace(Namespace):
    def __init__(self, vendors: Mapping[str, VendorModel], name: str, *, client: redis.Redis, scripts: Scripts,
                 journal_size: int = 1000, journal_body_limit: int = 4096, max_resources: int | None = None) -> None:
        self._offset = 0.0  # Redis' time minus this machine's, as of the last round trip
        self._last_time = 0.0  # the latest shared time handed out
        super().__init__(vendors, name, journal_size=journal_size, journal_body_limit=journal_body_limit,
                         max_resources=max_resources)
        self.client = client
        self.scripts = scripts
        self.faults = SharedFaultBook(client, name)
        self.journal = SharedJournal(client, name, journal_size, journal_body_limit)
        self.outbox = SharedOutbox(self)
        self.keys = NamespaceKeys(name, self.lifecycles.values(), self.vendors)
        self._generation = ""  # this copy's generation ("" = none yet) and version
        self._version = 0
        self._token: str | None = None
        self._owner = 0  # the thread whose transaction holds the lock
        self._delivery_token: str | None = None
        self._optimistic = False  # the open transaction commits with compare-and-set
        self._expected = 0  # the version an optimistic transaction read
        self._sync_keys = [self.keys.lock, self.keys.meta, self.keys.changes, NAMESPACES, self.faults.version_key()]
        self._commit_keys = [self.keys.lock, self.keys.meta, self.keys.changes]
        self._lock_ttl = LOCK_TTL_MS
        self._stored: dict[tuple[str, str, str], bytes] = {}  # resources as Redis holds them
        self._stored_entries: dict[tuple[str, str], dict[str, bytes]] = {}  # index entries likewise
        self._stored_values: dict[tuple[str, str], bytes] = {}  # vendor values that are not indexes
        self._stored_meta: dict[str, bytes] = {}
        self._counters_at_begin: dict[tuple[str, str], int] = {}
        self._meta_dirty = False
        self._ops: list[Any] = []  # writes queued by this transaction besides its diff (outbox)

    # --- time: Redis' own, so processes on different machines agree --------------------------------
    def _new_clock(self) -> VirtualClock:
        return VirtualClock(real_time=self._shared_time)

    def _shared_time(self) -> float:
        """Redis' time as this process last learned it, never going back (the offset jitters by
        each round trip's latency)."""
        now = time.time() + self._offset
        if now < self._last_time:
            return self._last_time
        self._last_time = now
        return now

    def _take_time(self, seconds: bytes, micros: bytes) -> None:
        self._offset = int(seconds) + int(micros) / 1e6 - time.time()

    def _new_store(self, limit: int | None) -> TrackingStore:
        return TrackingStore(limit)

    def index(self, vendor: str, name: str) -> dict[str, Any]:
        data = self.vendor_data.setdefault(vendor, {})
        found = data.get(name)
        if type(found) is not TrackedDict:
            found = data[name] = TrackedDict(found or {})
            found.touched.update(found)
        return found

    # --- once per request ----------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Bring this copy up to date without the lease (one round trip): Redis' time, what other
        processes changed (so even a hook outside any transaction, a vendor's key check, reads the
        world as it is), the fault rules' version, and the namespace's recency. False when the
        namespace does not exist in Redis (new, dropped or evicted)."""
        with reaching():
            reply = self.scripts.peek(keys=self._sync_keys, args=["", 0, self._version, self._generation, LOG_LENGTH,
                                                                  self.name])
        self._take_time(reply[1], reply[2])
        self.faults.observe(int(reply[5]))
        status = reply[6]
        if status == b"reload":
            if reply[3]:
                with _pessimistic(), self.transaction():  # a whole reload reads many keys: under the lease
                    pass
        elif status == b"delta":
            with self._lock:
                if int(reply[4]) > self._version and reply[3].decode() == self._generation:
                    self._replay(reply[7:])  # values as of that version: never older than this copy
                    self._version = int(reply[4])
        return bool(reply[3])

    def enter_request(self, vendor: bool) -> None:
        """A vendor request's transactions run optimistically on this copy (as fresh as the
        request's refresh): a read needs no round trip, a write commits with compare-and-set. A
        control request's take the lease (they load scenarios, move clocks: nothing to run twice)."""
        _MODE.optimistic = vendor
        _MODE.view = False

    def run_view(self, view: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
        """A vendor's view: if another process wrote first, its changes are undone here and the view
        runs again under the lease, on the arguments as they came (a parsed body copied first: the
        first run may have changed it in place)."""
        if not getattr(_MODE, "optimistic", False):
            return view(*args, **kwargs)
        again = [_containers_copied(a) for a in args], {k: _containers_copied(v) for k, v in kwargs.items()}
        _MODE.view = True
        try:
            return view(*args, **kwargs)
        except Conflict:
            _rewind([*again[0], *again[1].values()])
            with _pessimistic():
                return view(*again[0], **again[1])
        finally:
            _MODE.view = False

    # --- transactions ----------------------------------------------------------------------------------
    def _begin(self) -> None:
        self._owner = threading.get_ident()
        self._optimistic = getattr(_MODE, "optimistic", False)
        if not self._optimistic:
            try:
                self._take_lease()
            except BaseException:
                self._owner = 0
                raise
        self._expected = self._version
        self.store.touched.clear()
        self._counters_at_begin = self.store.counters()
        self._meta_dirty = False
        self._ops = []

    def _take_lease(self) -> None:
        token = unique()
        deadline = time.monotonic() + LOCK_WAIT
        pause = 0.0002
        while True:
            with reaching():
                reply = self.scripts.acquire(keys=self._sync_keys, args=[token, self._lock_ttl, self._version,
                                                                         self._generation, LOG_LENGTH, self.name])
            if reply[0]:
                break
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"namespace {self.name!r} stayed locked by another process for {LOCK_WAIT:g} s")
            time.sleep(pause)
            pause = min(pause * 2, 0.005)
        self._token = token
        try:
            self._take_time(reply[1], reply[2])
            status = reply[6]
            if status == b"reload":
                self._reload(reply[3].decode())
            elif status == b"delta":
                self._replay(reply[7:])
            self._version = int(reply[4])
            self.faults.observe(int(reply[5]))
        except BaseException:
            self._give_back()
            raise

    def _end(self) -> None:
        self._owner = 0
        changes = self._diff()
        ops = self._ops + changes.ops  # queued first: a clear's deletions come before what follows it
        self._ops = []
        if self._optimistic:
            if ops:
                self._compare_and_set(ops, changes)
            return
        try:
            with reaching():
                version = self.scripts.commit(keys=self._commit_keys, args=[self._token, LOG_ADDRESSES, LOG_LENGTH,
                                                                              *ops])
        except BaseException:
            self._generation = ""  # this copy may now differ from Redis: reload it next time
            raise
        finally:
            self._token = None
        if version == -1:
            self._generation = ""
            raise StoreUnavailable(f"namespace {self.name!r}: this process's lock ran out before its changes were "
                                   f"written ({self._lock_ttl / 1000:g} s); nothing was written")
        changes.adopt()
        self._version = version

    def _compare_and_set(self, ops: list[Any], changes: Changes) -> None:
        try:
            with reaching():
                version = self.scripts.cas(keys=self._commit_keys, args=[self._expected, LOG_ADDRESSES, LOG_LENGTH,
                                                                           *ops])
        except BaseException:
            self._generation = ""
            raise
        if version == -2:  # another process wrote first: undo here; a view runs again under the lease
            self._undo(changes)
            if _MODE.view:
                raise Conflict()
            return  # a hook's lookup (a key, a state): what it wrote was only catching up, redone by the next reader
        changes.adopt()
        self._version = version
        _MODE.optimistic = False  # what the request does next builds on this write: no second try

    def _give_back(self) -> None:
        self._generation = ""
        try:
            self.scripts.release(keys=[self.keys.lock], args=[self._token])
        except redis.RedisError:
            pass  # the lease runs out by itself
        self._token = None

    def queue(self, *ops: Any) -> None:
        """Writes to make with this transaction's commit (outbox entries)."""
        self._ops.extend(ops)

    @property
    def in_transaction(self) -> bool:
        """This thread is inside one of this namespace's transactions."""
        return self._owner == threading.get_ident()

    # --- what this transaction changed --------------------------------------------------------------
    def _diff(self) -> Changes:
        changes = Changes()
        ops, stage = changes.ops, changes.stored.append
        store, stored, keys = self.store, self._stored, self.keys
        changes.resources = list(store.touched)
        for address in changes.resources:
            vendor, kind, id = address
            resource = store.peek(vendor, kind, id)
            if resource is None:
                if address in stored:
                    stage((stored, address, None))
                    ops += ("D", keys.resources[(vendor, kind)], id, "")
                continue
            data = encode_resource(resource)
            if stored.get(address) != data:
                stage((stored, address, data))
                ops += ("H", keys.resources[(vendor, kind)], id, data)
        store.touched.clear()
        counters = store.counters()
        if counters != self._counters_at_begin:
            for (vendor, counter), value in counters.items():
                if self._counters_at_begin.get((vendor, counter)) != value:
                    ops += ("H", keys.counters, f"{vendor}.{counter}", str(value))
        for vendor, data in self.vendor_data.items():
            for name, value in list(data.items()):
                if isinstance(value, dict):
                    self._index_diff(vendor, name, value, changes)
                    continue
                encoded = encode(value)
                if self._stored_values.get((vendor, name)) != encoded:
                    stage((self._stored_values, (vendor, name), encoded))
                    ops += ("H", keys.values(vendor), name, encoded)
        if self._meta_dirty:
            for name, encoded in self._meta().items():
                if self._stored_meta.get(name) != encoded:
                    stage((self._stored_meta, name, encoded))
                    ops += ("H", keys.meta, name, encoded)
        return changes

    def _index_diff(self, vendor: str, name: str, index: dict, changes: Changes) -> None:
        if type(index) is not TrackedDict:  # a scenario's vendor_data, or a vendor's own dict
            index = self.vendor_data[vendor][name] = TrackedDict(index)
            index.touched.update(index)
        if not index.touched:
            return
        ops = changes.ops
        stored = self._stored_entries.get((vendor, name))
        if stored is None:
            stored = self._stored_entries[(vendor, name)] = {}
            ops += ("S", self.keys.indexes, encode([vendor, name]), "")
        hash_key = self.keys.index(vendor, name)
        for entry in index.touched:
            changes.entries.append((vendor, name, entry))
            if dict.__contains__(index, entry):
                encoded = encode(dict.__getitem__(index, entry))
                if stored.get(entry) != encoded:
                    changes.stored.append((stored, entry, encoded))
                    ops += ("H", hash_key, entry, encoded)
            elif entry in stored:
                changes.stored.append((stored, entry, None))
                ops += ("D", hash_key, entry, "")
        index.touched.clear()

    def _undo(self, changes: Changes) -> None:
        """Put this copy back as Redis holds it for everything the transaction touched."""
        for vendor, kind, id in changes.resources:
            data = self._stored.get((vendor, kind, id))
            if data is None:
                self.store.forget(vendor, kind, id)
            else:
                self.store.adopt(decode_resource(vendor, kind, id, data))
        self.store.restore_counters(self._counters_at_begin)
        for vendor, name, entry in changes.entries:
            index, data = self.index(vendor, name), self._stored_entries.get((vendor, name), {}).get(entry)
            if data is None:
                dict.pop(index, entry, None)
            else:
                dict.__setitem__(index, entry, decode(data))
            index.touched.discard(entry)
        for vendor, data in self.vendor_data.items():
            for name in [n for n, v in data.items() if not isinstance(v, dict)]:
                stored = self._stored_values.get((vendor, name))
                if stored is None:
                    del data[name]
                else:
                    data[name] = decode(stored)
        if self._meta_dirty:
            for name, value in list(self._stored_meta.items()):
                self._take_meta(name, value)
        self._ops = []

    def _meta(self) -> dict[str, bytes]:
        return {"clock": encode(self.clock.anchors()), "timing": encode(self.timing), "auth": encode(self.auth),
                "settings": encode(self.settings), "scenarios": encode(self.scenarios)}

    def _meta_changed(self) -> None:
        self._meta_dirty = True

    # --- what other processes changed ----------------------------------------------------------------
    def _replay(self, triples: list) -> None:
        keys = self.keys
        for i in range(0, len(triples), 3):
            hash_key, field, value = triples[i].decode(), triples[i + 1].decode(), triples[i + 2]
            kind = keys.kind_of.get(hash_key)
            if kind is not None:
                self._take_resource(kind, field, value)
            elif hash_key == keys.meta:
                if value is not None and field in META_FIELDS:
                    self._take_meta(field, value)
            elif hash_key == keys.counters:
                if value is not None:
                    vendor, counter = field.split(".", 1)
                    self.store.set_counter(vendor, counter, int(value))
            elif hash_key.startswith(keys.index_prefix):
                vendor, name = hash_key[len(keys.index_prefix):].split(":", 1)
                self._take_entry(vendor, name, field, value)
            elif hash_key.startswith(keys.values_prefix):
                self._take_value(hash_key[len(keys.values_prefix):], field, value)

    def _take_resource(self, kind: tuple[str, str], id: str, value: bytes | None) -> None:
        vendor, kind_name = kind
        if value is None:
            self.store.forget(vendor, kind_name, id)
            self._stored.pop((vendor, kind_name, id), None)
        else:
            self.store.adopt(decode_resource(vendor, kind_name, id, value))
            self._stored[(vendor, kind_name, id)] = value

    def _take_meta(self, field: str, value: bytes) -> None:
        self._stored_meta[field] = value
        data = decode(value)
        if field == "clock":
            self.clock.restore(tuple(data))
        elif field == "scenarios":
            self.scenarios[:] = data
        else:
            target = getattr(self, field)
            target.clear()
            target.update(data)

    def _take_entry(self, vendor: str, name: str, entry: str, value: bytes | None) -> None:
        index = self.index(vendor, name)
        stored = self._stored_entries.setdefault((vendor, name), {})
        if value is None:
            dict.pop(index, entry, None)
            stored.pop(entry, None)
        else:
            dict.__setitem__(index, entry, decode(value))
            stored[entry] = value
        index.touched.discard(entry)

    def _take_value(self, vendor: str, name: str, value: bytes | None) -> None:
        data = self.vendor_data.setdefault(vendor, {})
        if value is None:
            data.pop(name, None)
            self._stored_values.pop((vendor, name), None)
        else:
            data[name] = decode(value)
            self._stored_values[(vendor, name)] = value

    def _reload(self, generation: str) -> None:
        """Replace this copy by what Redis holds (a new process, a reset elsewhere, a long absence)."""
        keys = self.keys
        with reaching():
            pipe = self.client.pipeline(transaction=False)
            pipe.hgetall(keys.meta)
            pipe.hgetall(keys.counters)
            for hash_key in keys.kind_of:
                pipe.hgetall(hash_key)
            for vendor in self.vendors:
                pipe.hgetall(keys.values(vendor))
            pipe.smembers(keys.indexes)
            meta, counters, *rest = pipe.execute()
            kinds, values, members = rest[:len(keys.kind_of)], rest[len(keys.kind_of):-1], rest[-1]
            indexes = [tuple(decode(member)) for member in members]
            pipe = self.client.pipeline(transaction=False)
            for vendor, name in indexes:
                pipe.hgetall(keys.index(vendor, name))
            entries = pipe.execute() if indexes else []
        self._forget_copy()
        for field, value in meta.items():
            if field.decode() in META_FIELDS:
                self._take_meta(field.decode(), value)
        if b"clock" not in meta:
            self.clock = self._new_clock()
        for field, value in counters.items():
            vendor, counter = field.decode().split(".", 1)
            self.store.set_counter(vendor, counter, int(value))
        for kind, found in zip(keys.kind_of.values(), kinds, strict=True):
            for id, value in found.items():
                self._take_resource(kind, id.decode(), value)
        for vendor, found in zip(self.vendors, values, strict=True):
            for name, value in found.items():
                self._take_value(vendor, name.decode(), value)
        for (vendor, name), found in zip(indexes, entries, strict=True):
            index = self.index(vendor, name)
            self._stored_entries[(vendor, name)] = {}
            for entry, value in found.items():
                self._take_entry(vendor, name, entry.decode(), value)
            index.touched.clear()
        self._generation = generation

    def _forget_copy(self) -> None:
        Simulation.clear(self)  # the engine's own clear, of this process's copy (not faults, journal)
        self._stored.clear()
        self._stored_entries.clear()
        self._stored_values.clear()
        self._stored_meta.clear()
        self._counters_at_begin = {}  # a clear deletes the counters' hash: write every counter again

    # --- whole-namespace changes ----------------------------------------------------------------------
    def set_up(self, load_startup) -> None:
        """Make the namespace exist in Redis (once, whichever process gets there first), loading the
        start-up scenarios into it."""
        with self._lock, self.transaction():
            if self._generation:
                return
            self._new_generation()
            load_startup(self)
            self._meta_changed()
            now = self._shared_time()
            self.queue("Z", NAMESPACES, self.name, repr(now))

    def _new_generation(self) -> None:
        self._generation = uuid.uuid4().hex
        self.queue("G", self.keys.meta, "generation", self._generation)

    def clear(self) -> None:
        """Empty the namespace everywhere: every process reloads it (a new generation)."""
        with self._lock, self.transaction():
            world = self.keys.world(self._stored_entries)  # the indexes this (synced) copy knows
            self._forget_copy()
            self.queue(*[op for hash_key in world for op in ("X", hash_key, "", "")])
            self._new_generation()
            self._meta_changed()
            self.faults.clear()
            self.journal.clear()

    def load(self, scenario: Scenario) -> dict[str, Any]:
        with self._lock, self.transaction():
            if len(scenario.resources) > 1000:
                self._lock_ttl = BULK_LOCK_TTL_MS
                self.client.pexpire(self.keys.lock, BULK_LOCK_TTL_MS)
            try:
                return super().load(scenario)
            finally:
                self._lock_ttl = LOCK_TTL_MS

    @contextmanager
    def delivering(self, wait: bool = False) -> Iterator[bool]:
        """This process delivers the namespace's notifications while it holds the delivery lease; a
        lease whose holder died runs out and another process takes over. With `wait`, another
        process's run is waited for (at most DELIVERY_WAIT seconds)."""
        with self.delivery_lock:
            token = uuid.uuid4().hex
            mine = self.extend_delivery(token)
            deadline, pause = time.monotonic() + DELIVERY_WAIT, 0.002
            while wait and not mine and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
                mine = self.extend_delivery(token)
            self._delivery_token = token if mine else None
            try:
                yield mine
            finally:
                self._delivery_token = None
                if mine:
                    try:
                        self.scripts.release(keys=[self.keys.delivery], args=[token])
                    except redis.RedisError:
                        pass  # it runs out by itself

    def extend_delivery(self, token: str | None = None) -> bool:
        """Take or extend the delivery lease (each attempt extends it: a long run keeps it)."""
        token = token or self._delivery_token
        if token is None:
            return False
        with reaching():
            return bool(self.scripts.lease(keys=[self.keys.delivery], args=[token, DELIVERY_LEASE_MS]))
