/**
 * Lua for the Redis side of write-behind. Keys are derived from P (`<prefix>:~wb:<entity>`), passed as
 * KEYS[1] so a cluster runs each script on the node of its hash slot (all keys share it: `{prefix}`):
 *   P:row:<id>      hash of the row's pending change: `s:<field>` JSON value, `i:<field>` delta, `q` seq
 *   P:dirty         zset id → time of the row's first pending write (flush order, oldest age)
 *   P:seq           write sequence (µs since the epoch at least, see WRITE_SCRIPT)
 *   P:batch:<b>     hash id → JSON of the row's change, for a claimed batch
 *   P:batches       zset batch → lease deadline / next retry time
 *   P:meta:<b>      hash attempts, created, error
 *   P:inflight:<id> set of batches holding a change of the row (read-your-writes while they apply)
 *   P:dead          zset batch → time it was given up
 */

/** KEYS[1]: P. ARGV: id, now, maxPending, then field/kind/value triples (kind s = set JSON, i = increment). */
export const WRITE_SCRIPT = `
local P, id, now, maxPending = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local rk = P .. ':row:' .. id
if redis.call('EXISTS', rk) == 0 and redis.call('ZCARD', P .. ':dirty') >= maxPending then return { -1, 0 } end
for i = 4, #ARGV, 3 do
  local field, kind, value = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if kind == 'i' then redis.call('HINCRBY', rk, 'i:' .. field, value)
  else redis.call('HSET', rk, 's:' .. field, value) end
end
-- Never below the clock (in µs): a Redis that lost this counter must not restart it below the
-- versions already applied in the database (their sets would all look older and be dropped).
local seq = redis.call('INCR', P .. ':seq')
if seq < now * 1000 then
  seq = now * 1000
  redis.call('SET', P .. ':seq', seq)
end
redis.call('HSET', rk, 'q', seq)
redis.call('ZADD', P .. ':dirty', 'NX', now, id)
return { seq, redis.call('ZCARD', P .. ':dirty') }
`;

/**
 * Takes work: a batch whose lease ran out or whose retry is due, else up to N dirty rows as a new
 * batch (ARGV[4], `fresh`, is its id). Returns {batch, attempts, id1, json1, id2, json2…} or nil.
 */
export const TAKE_SCRIPT = `
local P, now, lease, max, fresh = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local bid
local due = redis.call('ZRANGEBYSCORE', P .. ':batches', '-inf', now, 'LIMIT', 0, 1)
if #due > 0 then
  bid = due[1]
else
  local ids = redis.call('ZRANGE', P .. ':dirty', 0, max - 1)
  if #ids == 0 then return nil end
  bid = fresh
  for _, id in ipairs(ids) do
    local rk = P .. ':row:' .. id
    redis.call('HSET', P .. ':batch:' .. bid, id, cjson.encode(redis.call('HGETALL', rk)))
    redis.call('DEL', rk)
    redis.call('ZREM', P .. ':dirty', id)
    redis.call('SADD', P .. ':inflight:' .. id, bid)
  end
  redis.call('HSET', P .. ':meta:' .. bid, 'created', now)
end
redis.call('ZADD', P .. ':batches', now + lease, bid)
local attempts = redis.call('HINCRBY', P .. ':meta:' .. bid, 'attempts', 1)
local out = { bid, attempts }
local rows = redis.call('HGETALL', P .. ':batch:' .. bid)
for i = 1, #rows do out[#out + 1] = rows[i] end
return out
`;

/** The batch is in the database: forget it. KEYS[1]: P. ARGV: batch. */
export const FINISH_SCRIPT = `
local P, bid = KEYS[1], ARGV[1]
for _, id in ipairs(redis.call('HKEYS', P .. ':batch:' .. bid)) do
  redis.call('SREM', P .. ':inflight:' .. id, bid)
end
redis.call('DEL', P .. ':batch:' .. bid, P .. ':meta:' .. bid)
redis.call('ZREM', P .. ':batches', bid)
redis.call('ZREM', P .. ':dead', bid)
return 1
`;

/** Applying failed: retry after backoff, or give up into the dead-letter list. KEYS[1]: P. ARGV: batch, now, backoff, maxAttempts, error. */
export const FAIL_SCRIPT = `
local P, bid, now = KEYS[1], ARGV[1], tonumber(ARGV[2])
local attempts = tonumber(redis.call('HGET', P .. ':meta:' .. bid, 'attempts') or '0')
redis.call('HSET', P .. ':meta:' .. bid, 'error', ARGV[5])
if attempts >= tonumber(ARGV[4]) then
  redis.call('ZREM', P .. ':batches', bid)
  redis.call('ZADD', P .. ':dead', now, bid)
  return 0
end
redis.call('ZADD', P .. ':batches', now + tonumber(ARGV[3]), bid)
return 1
`;

/** A dead batch goes back to the queue, due now, with fresh attempts. KEYS[1]: P. ARGV: batch, now. */
export const REPLAY_SCRIPT = `
local P, bid = KEYS[1], ARGV[1]
if redis.call('ZREM', P .. ':dead', bid) == 0 then return 0 end
redis.call('HSET', P .. ':meta:' .. bid, 'attempts', 0)
redis.call('ZADD', P .. ':batches', tonumber(ARGV[2]), bid)
return 1
`;
