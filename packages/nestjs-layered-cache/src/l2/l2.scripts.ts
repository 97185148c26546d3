/**
 * Lua scripts behind every L2 operation. Layout of an entry (a Redis hash):
 *   d  payload bytes (PayloadCodec frame)
 *   m  "<ttl>,<grace>,<failSafe>" in ms, so remaining freshness is derived from PTTL (no wall clocks)
 *   t  dependency header: "dep\nversion\ndep\nversion…" (namespace chain and tags)
 *   n  generation: bumped by set/delete so an in-flight fill started earlier cannot store
 * Dependency versions live in `<prefix>:~v:<dep>` counters. A missing counter never equals a
 * recorded version (counters start at a random value), so evicted metadata reads as "changed".
 */

// Shared Lua: true when every dependency in header `t` still has the recorded version.
const DEPS_CURRENT = `
local function deps_current(vprefix, t)
  if not t then return true end
  for dep, version in string.gmatch(t, '([^\\n]+)\\n([^\\n]+)') do
    if redis.call('GET', vprefix .. dep) ~= version then return false end
  end
  return true
end
`;

/**
 * Reads N entries in one round trip. KEYS: entry keys. ARGV[1]: version-key prefix.
 * Returns 4 slots per key: payload, meta, deps header, pttl (payload false = miss). An entry whose
 * dependencies moved is dropped here, keeping its generation so in-flight fills stay comparable.
 * A key of another type (something else wrote there) is deleted and answered with meta "!", which
 * the reader counts as corrupt. With several keys (an mget, or reads batched together), each
 * version counter is read once and each distinct header checked once: keys of one namespace share
 * both, which makes the check nearly free per key.
 */
export const READ_SCRIPT = `
local vprefix = ARGV[1]
local versions, checked
local function deps_current(t)
  if not t then return true end
  if checked then
    local ok = checked[t]
    if ok ~= nil then return ok end
  end
  local ok = true
  for dep, version in string.gmatch(t, '([^\\n]+)\\n([^\\n]+)') do
    local current = versions and versions[dep]
    if current == nil then
      current = redis.call('GET', vprefix .. dep) or false
      if versions then versions[dep] = current end
    end
    if current ~= version then ok = false; break end
  end
  if checked then checked[t] = ok end
  return ok
end
if #KEYS > 1 then versions, checked = {}, {} end
local out, n = {}, 0
for i = 1, #KEYS do
  local key = KEYS[i]
  local f = redis.pcall('HMGET', key, 'd', 'm', 't')
  if f.err then
    redis.call('DEL', key)
    out[n + 1] = ''; out[n + 2] = '!'; out[n + 3] = ''; out[n + 4] = 1
  elseif f[1] and deps_current(f[3]) then
    out[n + 1] = f[1]; out[n + 2] = f[2]; out[n + 3] = f[3]
    out[n + 4] = redis.call('PTTL', key)
  else
    if f[1] then redis.call('HDEL', key, 'd', 'm', 't') end
    out[n + 1] = false; out[n + 2] = false; out[n + 3] = false; out[n + 4] = 0
  end
  n = n + 4
end
return out
`;

/**
 * Starts a fill: returns the entry's generation and the current version of each dependency,
 * creating missing counters from a random seed. KEYS[1]: entry. ARGV: version prefix, seed,
 * placeholder TTL (ms, keeps a generation alive while the loader runs), dependency TTL (ms), deps….
 */
export const BEGIN_FILL_SCRIPT = `
local key, vprefix, seed = KEYS[1], ARGV[1], tonumber(ARGV[2])
local gen = redis.call('HGET', key, 'n')
if not gen then
  gen = tostring(seed)
  redis.call('HSET', key, 'n', gen)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[3]) end
end
local out = { gen }
for i = 5, #ARGV do
  local vkey = vprefix .. ARGV[i]
  local v = redis.call('GET', vkey)
  if not v then
    v = tostring(seed + i)
    redis.call('SET', vkey, v, 'PX', ARGV[4])
  end
  out[#out + 1] = v
end
return out
`;

/**
 * Commits a fill only if nothing moved since BEGIN_FILL. KEYS[1]: entry. ARGV: version prefix,
 * expected generation, payload, meta, deps header, entry TTL (ms), dependency TTL (ms).
 * Returns 1 when stored, 0 when refused.
 */
export const COMMIT_FILL_SCRIPT = `${DEPS_CURRENT}
local key, vprefix = KEYS[1], ARGV[1]
if redis.call('HGET', key, 'n') ~= ARGV[2] then return 0 end
if not deps_current(vprefix, ARGV[5]) then return 0 end
redis.call('HSET', key, 'd', ARGV[3], 'm', ARGV[4], 't', ARGV[5])
redis.call('PEXPIRE', key, ARGV[6])
for dep in string.gmatch(ARGV[5], '([^\\n]+)\\n[^\\n]+') do
  local vkey = vprefix .. dep
  if redis.call('PTTL', vkey) < tonumber(ARGV[7]) then redis.call('PEXPIRE', vkey, ARGV[7]) end
end
return 1
`;

/**
 * A direct write: bumps the generation (so older in-flight fills are refused), records the
 * current dependency versions and stores. KEYS[1]: entry. ARGV: version prefix, seed, payload,
 * meta, entry TTL (ms), dependency TTL (ms), deps….
 */
export const SET_SCRIPT = `
local key, vprefix, seed = KEYS[1], ARGV[1], tonumber(ARGV[2])
if redis.call('HEXISTS', key, 'n') == 1 then
  redis.call('HINCRBY', key, 'n', 1)
else
  redis.call('HSET', key, 'n', tostring(seed))
end
-- Entries that declared dependsOn this key are invalidated by its change.
if redis.call('EXISTS', vprefix .. 'k:' .. key) == 1 then redis.call('INCR', vprefix .. 'k:' .. key) end
local header = {}
for i = 7, #ARGV do
  local vkey = vprefix .. ARGV[i]
  local v = redis.call('GET', vkey)
  if not v then
    v = tostring(seed + i)
    redis.call('SET', vkey, v, 'PX', ARGV[6])
  elseif redis.call('PTTL', vkey) < tonumber(ARGV[6]) then
    redis.call('PEXPIRE', vkey, ARGV[6])
  end
  header[#header + 1] = ARGV[i]
  header[#header + 1] = v
end
local t = ''
if #header > 0 then t = table.concat(header, '\\n') .. '\\n' end
redis.call('HSET', key, 'd', ARGV[3], 'm', ARGV[4], 't', t)
redis.call('PEXPIRE', key, ARGV[5])
return 1
`;

/**
 * Deletes entries by bumping their generation and dropping their data; the generation lingers
 * for ARGV[1] ms so a fill that started before the delete is refused. A key already without data
 * (a tombstone, a fill placeholder) keeps its expiry: repeated deletes or pattern invalidations
 * must not keep it alive forever (a fill outliving it is refused anyway: its generation is gone). Entries that declared
 * dependsOn a deleted key are invalidated. KEYS: entry keys. ARGV[2]: version prefix; ARGV[3],
 * ARGV[4]: bus channel and message, published in the same script (atomic with the change).
 * Returns how many entries held data.
 */
export const DELETE_SCRIPT = `
local n = 0
for i, key in ipairs(KEYS) do
  local kv = ARGV[2] .. 'k:' .. key
  if redis.call('EXISTS', kv) == 1 then redis.call('INCR', kv) end
  if redis.call('EXISTS', key) == 1 then
    redis.call('HINCRBY', key, 'n', 1)
    if redis.call('HDEL', key, 'd', 'm', 't') > 0 then
      n = n + 1
      redis.call('PEXPIRE', key, ARGV[1])
    elseif redis.call('PTTL', key) < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
    end
  end
end
if ARGV[4] and ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return n
`;

/**
 * Invalidates dependencies: one INCR per existing counter. A missing counter means no valid entry
 * and no running fill depends on it, so it is left missing (nothing accumulates). KEYS: counters.
 * ARGV[1], ARGV[2]: bus channel and message, published in the same script (atomic with the bump).
 */
export const BUMP_SCRIPT = `
for i, vkey in ipairs(KEYS) do
  if redis.call('EXISTS', vkey) == 1 then redis.call('INCR', vkey) end
end
if ARGV[2] and ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return #KEYS
`;

/** Releases a fill lock only if it still holds our token. KEYS[1]: lock. ARGV[1]: token. */
export const UNLOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
