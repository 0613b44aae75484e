/**
 * Lua for idempotency keys (`P idempotency:<key>` strings). A claim is the value `P` with a
 * lease as the key's TTL; a finished key is `D:` followed by the stored answer, with its TTL.
 */

/** KEYS: the key. ARGV: leaseMs. Replies {'started'} | {'in-progress'} | {'done', result}. */
export const BEGIN_LUA = /* lua */ `
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'P', 'PX', ARGV[1])
  return {'started'}
end
if value == 'P' then return {'in-progress'} end
return {'done', string.sub(value, 3)}
`;

/** KEYS: the key. Deletes it only while it is still a claim: a stored answer is never lost. */
export const ABANDON_LUA = /* lua */ `
if redis.call('GET', KEYS[1]) == 'P' then redis.call('DEL', KEYS[1]) end
return 0
`;
