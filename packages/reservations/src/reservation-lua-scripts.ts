/**
 * Lua run inside Redis for every change to the stock ledger, so each change is one atomic step
 * across every process and replica. Key layout (P = the store's key prefix):
 * - `P stock:<sku>` hash: `version`, `syncedAt`, and per warehouse `onHand:<wh>`,
 *   `reserved:<wh>`, `safety:<wh>`, `pending:<wh>` (pending is the hub's own, never the WMS's).
 * - `P reservation:<orderId>` hash: `state`, `expiresAt`, `allocations` (JSON).
 * - `P reservations:pending` sorted set: pending order ids scored by expiresAt.
 * confirm, release and expire only learn the SKUs from the reservation, so they build stock
 * keys from the prefix (ARGV) instead of declaring them: all keys must live on one Redis node.
 */

/** Shared Lua: gives a reservation's quantities back and deletes it. */
const GIVE_BACK = /* lua */ `
local function give_back(stock_prefix, reservation_key, pending_key, order_id)
  local state = redis.call('HGET', reservation_key, 'state')
  local allocations = cjson.decode(redis.call('HGET', reservation_key, 'allocations'))
  local touched = {}
  for _, a in ipairs(allocations) do
    local key = stock_prefix .. a.sku
    if state == 'pending' then
      redis.call('HINCRBY', key, 'pending:' .. a.warehouseId, -a.quantity)
    else
      local reserved = tonumber(redis.call('HGET', key, 'reserved:' .. a.warehouseId) or '0')
      redis.call('HSET', key, 'reserved:' .. a.warehouseId, math.max(0, reserved - a.quantity))
    end
    touched[key] = true
  end
  for key in pairs(touched) do
    if redis.call('EXISTS', key) == 1 then
      redis.call('HINCRBY', key, 'version', 1)
      -- After a void the hub only guesses the WMS's reserved: ask the WMS again next time.
      if state == 'confirmed' then redis.call('HSET', key, 'syncedAt', 0) end
    end
  end
  redis.call('DEL', reservation_key)
  redis.call('ZREM', pending_key, order_id)
  return state
end
`;

/**
 * KEYS: reservation, pending set, then one stock key per distinct SKU in ARGV[4].skus order.
 * ARGV: orderId, rule, expiresAt, JSON {skus, warehouses, lines: [{n, sku, q}]}, syncedAfter
 * (epoch ms, or '' for no freshness check).
 * Replies {'exists', allocationsJson} | {'stale', [[sku, version or -1 when not loaded]]} |
 * {'not-loaded', skusJson} | {'insufficient', shortagesJson [[n, sku, q, available]]} |
 * {'reserved', allocationsJson, split 0/1}.
 */
export const RESERVE_LUA = /* lua */ `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'exists', redis.call('HGET', KEYS[1], 'allocations')}
end
local request = cjson.decode(ARGV[4])
if ARGV[5] ~= '' then
  local synced_after, stale = tonumber(ARGV[5]), {}
  for i, sku in ipairs(request.skus) do
    local meta = redis.call('HMGET', KEYS[i + 2], 'version', 'syncedAt')
    if not meta[1] then
      stale[#stale + 1] = {sku, -1}
    elseif (tonumber(meta[2]) or 0) < synced_after then
      stale[#stale + 1] = {sku, tonumber(meta[1])}
    end
  end
  if #stale > 0 then return {'stale', cjson.encode(stale)} end
end
local warehouses = request.warehouses
local stock_key, free, missing = {}, {}, {}
for i, sku in ipairs(request.skus) do
  local key = KEYS[i + 2]
  stock_key[sku] = key
  if redis.call('EXISTS', key) == 0 then
    missing[#missing + 1] = sku
  else
    local by_warehouse = {}
    for _, wh in ipairs(warehouses) do
      local f = redis.call('HMGET', key, 'onHand:' .. wh, 'reserved:' .. wh, 'pending:' .. wh, 'safety:' .. wh)
      local v = (tonumber(f[1]) or 0) - (tonumber(f[2]) or 0) - (tonumber(f[3]) or 0) - (tonumber(f[4]) or 0)
      by_warehouse[wh] = math.max(0, v)
    end
    free[sku] = by_warehouse
  end
end
if #missing > 0 then return {'not-loaded', cjson.encode(missing)} end

-- single-warehouse-first: the best-priority warehouse holding every line (same-SKU lines summed).
local picks, shortages = {}, {}
local whole = nil
if ARGV[2] == 'single-warehouse-first' then
  for _, wh in ipairs(warehouses) do
    local demand, fits = {}, true
    for _, line in ipairs(request.lines) do
      demand[line.sku] = (demand[line.sku] or 0) + line.q
      if demand[line.sku] > free[line.sku][wh] then fits = false break end
    end
    if fits then whole = wh break end
  end
end
if whole then
  for _, line in ipairs(request.lines) do picks[#picks + 1] = {whole, line.sku, line.q} end
else
  -- Line by line in priority order; a short line takes nothing so later lines see what is left.
  for _, line in ipairs(request.lines) do
    local total = 0
    for _, wh in ipairs(warehouses) do total = total + free[line.sku][wh] end
    if total < line.q then
      shortages[#shortages + 1] = {line.n, line.sku, line.q, total}
    else
      local left = line.q
      for _, wh in ipairs(warehouses) do
        if left == 0 then break end
        local take = math.min(left, free[line.sku][wh])
        if take > 0 then
          free[line.sku][wh] = free[line.sku][wh] - take
          left = left - take
          picks[#picks + 1] = {wh, line.sku, take}
        end
      end
    end
  end
end
if #shortages > 0 then return {'insufficient', cjson.encode(shortages)} end

-- One allocation per (warehouse, sku) in the order first taken.
local allocations, index, used, touched = {}, {}, {}, {}
for _, p in ipairs(picks) do
  local id = p[1] .. '\\0' .. p[2]
  if index[id] then
    allocations[index[id]].quantity = allocations[index[id]].quantity + p[3]
  else
    allocations[#allocations + 1] = {warehouseId = p[1], sku = p[2], quantity = p[3]}
    index[id] = #allocations
  end
  redis.call('HINCRBY', stock_key[p[2]], 'pending:' .. p[1], p[3])
  used[p[1]] = true
  touched[p[2]] = true
end
for sku in pairs(touched) do redis.call('HINCRBY', stock_key[sku], 'version', 1) end
local warehouse_count = 0
for _ in pairs(used) do warehouse_count = warehouse_count + 1 end
local encoded = cjson.encode(allocations)
redis.call('HSET', KEYS[1], 'state', 'pending', 'expiresAt', ARGV[3], 'allocations', encoded)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return {'reserved', encoded, warehouse_count > 1 and 1 or 0}
`;

/**
 * KEYS: reservation, pending set. ARGV: stock key prefix, orderId.
 * Replies 0 (unknown) or 1 (confirmed now or before: a repeat moves nothing twice).
 */
export const CONFIRM_LUA = /* lua */ `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state == 'confirmed' then return 1 end
local allocations = cjson.decode(redis.call('HGET', KEYS[1], 'allocations'))
local touched = {}
for _, a in ipairs(allocations) do
  local key = ARGV[1] .. a.sku
  redis.call('HINCRBY', key, 'pending:' .. a.warehouseId, -a.quantity)
  redis.call('HINCRBY', key, 'reserved:' .. a.warehouseId, a.quantity)
  touched[key] = true
end
for key in pairs(touched) do redis.call('HINCRBY', key, 'version', 1) end
redis.call('HSET', KEYS[1], 'state', 'confirmed')
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`;

/**
 * KEYS: reservation, pending set. ARGV: stock key prefix, orderId.
 * Replies false (unknown) or {state, expiresAt, allocationsJson} as it was before release.
 */
export const RELEASE_LUA = /* lua */ `
${GIVE_BACK}
local found = redis.call('HMGET', KEYS[1], 'state', 'expiresAt', 'allocations')
if not found[1] then return false end
give_back(ARGV[1], KEYS[1], KEYS[2], ARGV[2])
return found
`;

/**
 * KEYS: pending set, expiry stream. ARGV: stock key prefix, reservation key prefix, now, limit,
 * the stream's MAXLEN. Releases pending reservations whose expiresAt is before now, appends one
 * expiry event per reservation (`payload`: {orderId, skus, at}, see expiry-events.ts) in the
 * same step, and replies their order ids.
 */
export const EXPIRE_LUA = /* lua */ `
${GIVE_BACK}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))
local released = {}
for _, order_id in ipairs(due) do
  local reservation_key = ARGV[2] .. order_id
  -- Only pending ones sit in the set, but a stray member must not make expiry fail forever.
  if redis.call('HGET', reservation_key, 'state') == 'pending' then
    local seen, skus = {}, {}
    for _, a in ipairs(cjson.decode(redis.call('HGET', reservation_key, 'allocations'))) do
      if not seen[a.sku] then
        seen[a.sku] = true
        skus[#skus + 1] = a.sku
      end
    end
    table.sort(skus)
    give_back(ARGV[1], reservation_key, KEYS[1], order_id)
    local event = '{"orderId":' .. cjson.encode(order_id) .. ',"skus":' .. cjson.encode(skus) .. ',"at":' .. ARGV[3] .. '}'
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'payload', event)
    released[#released + 1] = order_id
  else
    redis.call('ZREM', KEYS[1], order_id)
  end
end
return released
`;

/**
 * KEYS: one stock key per entry. ARGV: now, then per entry its expected version ('' = absent)
 * and its levels as JSON [[warehouseId, onHand, reserved, safety]]. Replies the 1-based indexes
 * of the entries written; an entry whose version moved is left alone.
 */
export const WRITE_STOCK_LUA = /* lua */ `
local written = {}
for i, key in ipairs(KEYS) do
  local expected = ARGV[i * 2]
  local version = redis.call('HGET', key, 'version')
  if (expected == '' and not version) or (version and expected == version) then
    local fields = redis.call('HKEYS', key)
    for _, field in ipairs(fields) do
      -- Keep the hub's own pending; everything the WMS reports is replaced wholesale.
      if string.find(field, '^onHand:') or string.find(field, '^reserved:') or string.find(field, '^safety:') then
        redis.call('HDEL', key, field)
      end
    end
    for _, level in ipairs(cjson.decode(ARGV[i * 2 + 1])) do
      redis.call('HSET', key, 'onHand:' .. level[1], level[2], 'reserved:' .. level[1], level[3], 'safety:' .. level[1], level[4])
    end
    redis.call('HSET', key, 'syncedAt', ARGV[1])
    redis.call('HINCRBY', key, 'version', 1)
    written[#written + 1] = i
  end
end
return written
`;
