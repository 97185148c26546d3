/**
 * Lua for sessions. KEYS[1] is the prefix P (`<prefix>:~sess`): the keys below derive from it, and
 * declaring it lets a cluster run the script on the node of its hash slot (all share it: `{prefix}`).
 *   P:<sid>        the session JSON, expiring with the session (sliding TTL)
 *   P:user:<uid>   zset sid → expiry (ms): a user's sessions; dead ids trimmed on every write
 */

/** KEYS[1]: P. ARGV: sid, json, ttl ms, now, user id ('' for none). */
export const SESSION_SET_SCRIPT = `
local P, sid, ttl, now, uid = KEYS[1], ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local key = P .. ':' .. sid
redis.call('SET', key, ARGV[2], 'PX', ttl)
if uid ~= '' then
  local index = P .. ':user:' .. uid
  redis.call('ZADD', index, now + ttl, sid)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  redis.call('PEXPIRE', index, ttl)
end
return 1
`;

/** Extends without rewriting. KEYS[1]: P. ARGV: sid, ttl ms, now, user id. Returns 0 when the session is gone. */
export const SESSION_TOUCH_SCRIPT = `
local P, sid, ttl, now, uid = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
if redis.call('PEXPIRE', P .. ':' .. sid, ttl) == 0 then return 0 end
if uid ~= '' then
  local index = P .. ':user:' .. uid
  redis.call('ZADD', index, 'XX', now + ttl, sid)
  if redis.call('PTTL', index) < ttl then redis.call('PEXPIRE', index, ttl) end
end
return 1
`;

/** KEYS[1]: P. ARGV: sid, user id. */
export const SESSION_DESTROY_SCRIPT = `
local P, sid, uid = KEYS[1], ARGV[1], ARGV[2]
redis.call('DEL', P .. ':' .. sid)
if uid ~= '' then redis.call('ZREM', P .. ':user:' .. uid, sid) end
return 1
`;

/** Every session of a user. KEYS[1]: P. ARGV: user id. Returns how many were removed. */
export const SESSION_REVOKE_ALL_SCRIPT = `
local P, uid = KEYS[1], ARGV[1]
local index = P .. ':user:' .. uid
local sids = redis.call('ZRANGE', index, 0, -1)
for _, sid in ipairs(sids) do redis.call('DEL', P .. ':' .. sid) end
redis.call('DEL', index)
return #sids
`;
