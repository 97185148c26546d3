/**
 * Lua for sessions. KEYS: none (keys derive from ARGV[1], the prefix `<prefix>:~sess`).
 *   P:<sid>        the session JSON, expiring with the session (sliding TTL)
 *   P:user:<uid>   zset sid → expiry (ms): a user's sessions; dead ids trimmed on every write
 */

/** ARGV: P, sid, json, ttl ms, now, user id ('' for none). */
export const SESSION_SET_SCRIPT = `
local P, sid, ttl, now, uid = ARGV[1], ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local key = P .. ':' .. sid
redis.call('SET', key, ARGV[3], 'PX', ttl)
if uid ~= '' then
  local index = P .. ':user:' .. uid
  redis.call('ZADD', index, now + ttl, sid)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  redis.call('PEXPIRE', index, ttl)
end
return 1
`;

/** Extends without rewriting. ARGV: P, sid, ttl ms, now, user id. Returns 0 when the session is gone. */
export const SESSION_TOUCH_SCRIPT = `
local P, sid, ttl, now, uid = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
if redis.call('PEXPIRE', P .. ':' .. sid, ttl) == 0 then return 0 end
if uid ~= '' then
  local index = P .. ':user:' .. uid
  redis.call('ZADD', index, 'XX', now + ttl, sid)
  if redis.call('PTTL', index) < ttl then redis.call('PEXPIRE', index, ttl) end
end
return 1
`;

/** ARGV: P, sid, user id. */
export const SESSION_DESTROY_SCRIPT = `
local P, sid, uid = ARGV[1], ARGV[2], ARGV[3]
redis.call('DEL', P .. ':' .. sid)
if uid ~= '' then redis.call('ZREM', P .. ':user:' .. uid, sid) end
return 1
`;

/** Every session of a user. ARGV: P, user id. Returns how many were removed. */
export const SESSION_REVOKE_ALL_SCRIPT = `
local P, uid = ARGV[1], ARGV[2]
local index = P .. ':user:' .. uid
local sids = redis.call('ZRANGE', index, 0, -1)
for _, sid in ipairs(sids) do redis.call('DEL', P .. ':' .. sid) end
redis.call('DEL', index)
return #sids
`;
