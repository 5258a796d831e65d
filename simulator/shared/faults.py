"""Fault rules in Redis: one namespace's rules and their counters, shared by every simulator process.

A drop-in for traffic.faults.FaultBook. The rules are cached in each process and reloaded only when
the namespace's fault version (bumped atomically with every add, remove and clear) differs from the
cache's: the caller reads that version once per request, with the rest of its sync, and hands it to
`observe`. A matching call is counted and decided in Redis by one script for all the rules the
request matches, so `first: 2` fires on exactly the first two matching calls of all processes
together; the script also checks the version, so a process never counts a call against a rule that
was replaced or removed meanwhile (it reloads and evaluates again). A request that matches none of
the cached rules costs no round trip and is as fresh as the last `observe`.

Draws are reproducible across processes: a `probability` trigger fires on call n when
sha1("<seed>:<n>"), its first 13 hex digits read as a fraction of 16**13, is below the probability
(the seed is the rule's `seed`, else its id), and a latency is drawn from random.Random("<seed>:<n>").
The memory store keeps its per-rule generator, whose sequence depends on its own process only.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

import redis

from ..traffic.faults import Decision, FaultRule, Request, make_rule, matches
from .connection import StoreUnavailable, key, reaching

VERSION_KEY = ("faults", "version")  # key(namespace, *VERSION_KEY): an integer, absent means 0
PARTS = ("counter", "rules", "order", "calls", "fired")  # the other keys: key(namespace, "faults", part)
MAX_STALE_RETRIES = 8  # reloads of one decision when the rules keep changing under it

# Versions only grow, even across a deletion of the keys: the next one is at least Redis' TIME in
# microseconds, so a process never takes another rule set for the one it cached. bump() gives the
# version before and after, so a process whose cache was at the first applies the change itself.
_BUMP = """
local function bump(version_key)
  local now = redis.call('TIME')
  local before = tonumber(redis.call('GET', version_key) or '0')
  local after = math.max(before + 1, now[1] * 1000000 + now[2])
  redis.call('SET', version_key, string.format('%d', after))
  return {before, after}
end
"""

# Every script takes KEYS = SharedFaultBook.keys(): 1 version, 2 id counter, 3 rules (id -> JSON),
# 4 order (id -> place), 5 calls and 6 fired (id -> count).

# ARGV: explicit id or "", the rule as JSON. A new id takes the next place; a replaced rule keeps
# its place (as a dict key does) and restarts its counts. Returns {id, {version before, after}}.
_ADD = _BUMP + """
local n = redis.call('INCR', KEYS[2])
local id = ARGV[1]
if id == '' then id = 'fault-' .. n end
redis.call('HSET', KEYS[3], id, ARGV[2])
redis.call('HSETNX', KEYS[4], id, n)
redis.call('HDEL', KEYS[5], id)
redis.call('HDEL', KEYS[6], id)
return {id, bump(KEYS[1])}
"""

# ARGV: id. Returns {version before, after}, or {}: no such rule.
_REMOVE = _BUMP + """
if redis.call('HDEL', KEYS[3], ARGV[1]) == 0 then return {} end
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
return bump(KEYS[1])
"""

# Returns {version before, after}.
_CLEAR = _BUMP + """
redis.call('DEL', unpack(KEYS, 2))
return bump(KEYS[1])
"""

# ARGV: the version the rules were read at, then per matching rule:
# id, low, high, probability or "", seed text (FaultRule.firing_calls gives low and high).
# Returns nil when the version moved (the caller reloads), else per rule its call number, negated
# when the rule does not fire on it.
_DECIDE = """
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return nil end
local out = {}
for i = 2, #ARGV, 5 do
  local id = ARGV[i]
  local call = redis.call('HINCRBY', KEYS[5], id, 1)
  local hit = call >= tonumber(ARGV[i + 1]) and call <= tonumber(ARGV[i + 2])
  if hit and ARGV[i + 3] ~= '' then
    local digits = string.sub(redis.sha1hex(ARGV[i + 4] .. ':' .. call), 1, 13)
    hit = tonumber(digits, 16) / 4503599627370496 < tonumber(ARGV[i + 3])
  end
  if hit then
    redis.call('HINCRBY', KEYS[6], id, 1)
    out[#out + 1] = call
  else
    out[#out + 1] = -call
  end
end
return out
"""


@dataclass(frozen=True)
class _Cached:
    """The rules as read at one version, in evaluation order, each with its seed text."""

    version: int
    rules: tuple[tuple[FaultRule, str], ...] = ()


class SharedFaultBook:
    """The fault rules of one namespace, in Redis. Thread-safe; a request that matches no rule costs
    no round trip, one that matches some costs one."""

    def __init__(self, client: redis.Redis, namespace: str) -> None:
        self._client = client
        self._version_key = key(namespace, *VERSION_KEY)
        self._keys = [self._version_key, *(key(namespace, "faults", part) for part in PARTS)]
        self._cache = _Cached(0)  # an absent version key is version 0: no rules
        self._add = client.register_script(_ADD)
        self._remove = client.register_script(_REMOVE)
        self._clear = client.register_script(_CLEAR)
        self._decide = client.register_script(_DECIDE)

    def version_key(self) -> str:
        return self._version_key

    def keys(self) -> list[str]:
        """Every Redis key this book writes."""
        return list(self._keys)

    def observe(self, version: int | None) -> None:
        """The version the caller read from version_key() (None: absent): reload when the cache is older."""
        if (version or 0) != self._cache.version:
            self._load()

    def add(self, data: dict[str, Any], now: float) -> FaultRule:
        """Add a rule already loaded by RuleSchema and checked with contract_problems."""
        record = json.dumps({"data": data, "added_at": now})
        with reaching():
            rule_id, (before, version) = self._add(keys=self._keys, args=[data.get("id") or "", record])
        rule = make_rule(data, _text(rule_id), now)
        cache = self._cache
        if before == cache.version:  # nobody else changed the rules since the cache was read
            rules = dict((cached.id, (cached, seed)) for cached, seed in cache.rules)
            rules[rule.id] = (rule, _seed_text(rule))
            self._cache = _Cached(version, tuple(rules.values()))
        return rule

    def remove(self, rule_id: str) -> bool:
        with reaching():
            versions = self._remove(keys=self._keys, args=[rule_id])
        if not versions:
            return False
        before, version = versions
        cache = self._cache
        if before == cache.version:
            self._cache = _Cached(version, tuple(entry for entry in cache.rules if entry[0].id != rule_id))
        return True

    def clear(self) -> None:
        """No rules, and generated ids count from fault-1 again."""
        with reaching():
            _, version = self._clear(keys=self._keys)
        self._cache = _Cached(version)

    def rules(self) -> list[FaultRule]:
        """The rules with their calls and fired counted over every process, read now."""
        return [rule for rule, _ in self._load().rules]

    def __len__(self) -> int:
        return len(self._cache.rules)

    def decide(self, request: Request, now: float) -> Decision | None:
        cache = self._cache
        state: list[str | None] = []  # the resource's state, looked up once even when evaluated again
        for _ in range(MAX_STALE_RETRIES):
            if not cache.rules:
                return None
            matching = [(rule, seed) for rule, seed in cache.rules if matches(rule.match, request, state)]
            if not matching:
                return None
            args: list[Any] = [cache.version]
            for rule, seed in matching:
                low, high = rule.firing_calls(now)
                args += (rule.id, low, high, rule.when.get("probability", ""), seed)
            with reaching():
                calls = self._decide(keys=self._keys, args=args)
            if calls is not None:
                return _decision(matching, calls)
            cache = self._load()
        raise StoreUnavailable(f"the fault rules changed {MAX_STALE_RETRIES} times while one call was evaluated")

    def _load(self) -> _Cached:
        """Read the rules and their counters at one version (one round trip), and cache them."""
        version_key, _, *hashes = self._keys
        with reaching():
            pipe = self._client.pipeline(transaction=True)
            pipe.get(version_key)
            for name in hashes:
                pipe.hgetall(name)
            version, records, order, calls, fired = pipe.execute()
        rules = []
        for rule_id, text in sorted(records.items(), key=lambda item: int(order[item[0]])):
            record = json.loads(text)
            rule = make_rule(_thaw(record["data"]), _text(rule_id), record["added_at"])
            rule.calls, rule.fired = int(calls.get(rule_id, 0)), int(fired.get(rule_id, 0))
            rules.append((rule, _seed_text(rule)))
        self._cache = cache = _Cached(int(version or 0), tuple(rules))
        return cache


def _decision(matching: list[tuple[FaultRule, str]], calls: list[int]) -> Decision | None:
    """The fired rules (a positive call number) combined as the memory book does."""
    decision: Decision | None = None
    for (rule, seed), call in zip(matching, calls, strict=True):
        if call > 0:
            decision = decision or Decision(rules=[])
            decision.include(rule, 0.0 if rule.latency is None else rule.latency.draw(random.Random(f"{seed}:{call}")))
    return decision


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _seed_text(rule: FaultRule) -> str:
    return rule.id if rule.seed is None else str(rule.seed)


def _thaw(data: dict[str, Any]) -> dict[str, Any]:
    """A rule's data back from JSON: a window's moments are (kind, value) tuples again."""
    window = data.get("when", {}).get("window")
    if window:
        data["when"]["window"] = {edge: tuple(moment) for edge, moment in window.items()}
    return data
