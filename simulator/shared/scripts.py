"""The Lua scripts that make a namespace's changes atomic across processes (each one round trip).

A namespace's keys share one hash tag (`sim:{ns}:...`), so a script touching them stays in one
Redis Cluster slot; scripts also touch keys they find in the change log, which a standalone Redis
(the supported setup) allows.
"""
from __future__ import annotations

# Take the namespace's lock (a lease with a token), read the time, what changed since `version`,
# the fault rules' version, and touch the namespace's recency (when it exists):
# {0} when another process holds the lock; else {1, secs, micros, generation, version, faults
# version, status, ...} with status 'current', 'reload' (another generation, or the log no longer
# reaches back), or 'delta' followed by (key, field, value-or-nil) triples, each address once.
# KEYS: lock, meta, changes, namespaces, faults version | ARGV: token, ttl ms, my version, my
# generation, most entries to replay, namespace
_SYNC = """
local t = redis.call('TIME')
local m = redis.call('HMGET', KEYS[2], 'generation', 'version')
local generation, version = m[1] or '', tonumber(m[2] or '0')
if m[1] then redis.call('ZADD', KEYS[4], tonumber(t[1]) + tonumber(t[2]) / 1000000, ARGV[6]) end
local head = {1, t[1], t[2], generation, tostring(version), redis.call('GET', KEYS[5]) or '0'}
if generation ~= ARGV[4] then head[7] = 'reload' return head end
local mine = tonumber(ARGV[3])
if version == mine then head[7] = 'current' return head end
local entries = redis.call('XRANGE', KEYS[3], (mine + 1) .. '-0', '+', 'COUNT', tonumber(ARGV[5]) + 1)
if #entries == 0 or #entries > tonumber(ARGV[5]) or entries[1][1] ~= (mine + 1) .. '-0'
   or entries[#entries][1] ~= version .. '-0' then
  head[7] = 'reload' return head
end
head[7] = 'delta'
local seen = {}
for _, entry in ipairs(entries) do
  local addresses = entry[2][2]
  if addresses == '*' then head[7] = 'reload' return head end
  addresses = cjson.decode(addresses)
  for i = 1, #addresses, 2 do
    local k, f = addresses[i], addresses[i + 1]
    local id = k .. '\\0' .. f
    if not seen[id] then
      seen[id] = true
      head[#head + 1] = k
      head[#head + 1] = f
      head[#head + 1] = redis.call('HGET', k, f)
    end
  end
end
return head
"""
ACQUIRE = "if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end" + _SYNC

# The same without the lease (an optimistic transaction reads this copy, and commits with CAS).
PEEK = _SYNC

# A transaction's writes, logged for the other processes (the version goes up by one). ops come as
# quads from ARGV[4]: H key field value (hash set), D key field - (hash delete), X key - - (delete
# the key), S key member - (set add), Z key member score (sorted set add, the lower score kept),
# R key member - (sorted set remove), G key field value (hash set, not replayed by others).
_APPLY = """
local addresses = {}
local reload = false
for i = 4, #ARGV, 4 do
  local op, k, f, v = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if op == 'H' then
    redis.call('HSET', k, f, v)
    addresses[#addresses + 1] = k addresses[#addresses + 1] = f
  elseif op == 'D' then
    redis.call('HDEL', k, f)
    addresses[#addresses + 1] = k addresses[#addresses + 1] = f
  elseif op == 'G' then redis.call('HSET', k, f, v)
  elseif op == 'X' then redis.call('DEL', k) reload = true
  elseif op == 'S' then redis.call('SADD', k, f)
  elseif op == 'Z' then redis.call('ZADD', k, 'LT', v, f)
  elseif op == 'R' then redis.call('ZREM', k, f)
  end
end
local version = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
if #addresses > 0 or reload then
  version = redis.call('HINCRBY', KEYS[2], 'version', 1)
  local logged = '*'
  if not reload and #addresses <= tonumber(ARGV[2]) * 2 then logged = cjson.encode(addresses) end
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], version .. '-0', 'a', logged)
end
"""

# Write a transaction's changes and release the lock, only if this process still holds it (its
# lease did not run out): -1 if not, nothing written; else the namespace's version afterwards.
# KEYS: lock, meta, changes | ARGV: token, most addresses logged one by one, log length, ops...
COMMIT = ("if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end" + _APPLY
          + "redis.call('DEL', KEYS[1]) return version")

# An optimistic transaction's commit (compare and set): applied only if no process holds the lease
# and the namespace is still at the version this copy read; -2 (nothing written) otherwise.
# KEYS: lock, meta, changes | ARGV: expected version, most addresses logged, log length, ops...
CAS = ("if redis.call('EXISTS', KEYS[1]) == 1 or tonumber(redis.call('HGET', KEYS[2], 'version') or '0') "
       "~= tonumber(ARGV[1]) then return -2 end" + _APPLY + "return version")

# A lease kept by one process at a time (the callback dispatcher's): take it if free or already
# ours, and extend it. KEYS: lease | ARGV: token, ttl ms. Returns 1 if held by the caller.
LEASE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

# Give a lease back if still ours. KEYS: lease | ARGV: token
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# Take a namespace off the list of those with deliveries pending once both of its due-time indexes
# are empty (atomic with the commits that add to them). KEYS: notifications, wakeups, outbox set |
# ARGV: namespace
PRUNE_OUTBOX = """
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0 then
  return redis.call('SREM', KEYS[3], ARGV[1])
end
return 0
"""
