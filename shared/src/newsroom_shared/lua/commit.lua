-- A batch of per-article steps in one script call. Each step is all-or-nothing towards its
-- acknowledgement: guard check, effects, next events, then the guard's new value and the XACK.
-- One call per batch (not one per article) halves the server's and the client's cost per article.
--
-- ARGV[1]  number of steps; then per step: its key count, its argument count, and its arguments:
--   consumer group, entry id,
--   guard mode: 'none' | 'gt' (apply only if value > stored) | 'eq' (apply only if stored == value),
--   guard field, guard value, new guard value (set when applied),
--   then claims: count, then per claim: key, value (the key must be unset or hold the value, else
--   the step is a conflict, checked before anything is written; e.g. a page's slug),
--   then two op lists, each: count, then per op: argc, argv...
--   the first list runs always (e.g. history), the second only when the guard lets the step apply.
-- KEYS, per step: stream the entry came from ('' when the step did not come from a stream),
--   guard hash ('' for no guard), then every other key the ops touch (see README on Redis Cluster).
-- Returns per step {status, detail}: 1 applied, 0 skipped (stale or duplicate; still acknowledged),
-- -1 conflict (eq guard or a claim failed; NOT acknowledged, the caller decides again), -2 error
-- (detail is the message; NOT acknowledged, so the entry is retried). A failing step never stops
-- the others.
local results = {}
local k, a = 1, 2

local function failed(reply)
  return type(reply) == 'table' and reply.err ~= nil
end

local function step(src, guard, base)
  local group, entry = ARGV[base], ARGV[base + 1]
  local mode, gfield, gvalue, gnew = ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
  local stored = false
  if guard ~= '' then
    stored = redis.pcall('HGET', guard, gfield)
    if failed(stored) then return {-2, stored.err} end
  end
  local apply = true
  if mode == 'gt' then
    apply = (not stored) or tonumber(gvalue) > tonumber(stored)
  elseif mode == 'eq' then
    if (stored or '') ~= gvalue then return {-1, stored or ''} end
  end
  local i = base + 6
  local claims = tonumber(ARGV[i]); i = i + 1
  for _ = 1, claims do
    if apply then
      local held = redis.pcall('GET', ARGV[i])
      if failed(held) then return {-2, held.err} end
      if held and held ~= ARGV[i + 1] then return {-1, held} end
    end
    i = i + 2
  end
  for list = 1, 2 do
    local n = tonumber(ARGV[i]); i = i + 1
    local execute = list == 1 or apply
    for _ = 1, n do
      local argc = tonumber(ARGV[i]); i = i + 1
      if execute then
        local reply = redis.pcall(unpack(ARGV, i, i + argc - 1))
        if failed(reply) then return {-2, reply.err} end
      end
      i = i + argc
    end
  end
  -- the guard moves only once the effects are written, so a failed step is re-applied in full;
  -- writes before the failing one stay (no rollback), so callers order idempotent writes for that
  if apply and guard ~= '' and mode ~= 'none' then redis.call('HSET', guard, gfield, gnew) end
  if src ~= '' and entry ~= '' then redis.call('XACK', src, group, entry) end
  return {apply and 1 or 0, stored or ''}
end

for s = 1, tonumber(ARGV[1]) do
  local nkeys, nargs = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  -- a step that raises (a write with more arguments than Lua can unpack, a guard holding no
  -- number) fails alone, as an error, and never takes the others of the call with it
  local ok, result = pcall(step, KEYS[k], KEYS[k + 1], a + 2)
  if not ok then
    result = {-2, type(result) == 'table' and (result.err or 'script error') or tostring(result)}
  end
  results[s] = result
  k = k + nkeys
  a = a + 2 + nargs
end
return results
