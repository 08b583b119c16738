-- One article's step, applied atomically: guard check, effects, next events, acknowledgement.
--
-- KEYS[1]  stream the entry came from ('' when the step did not come from a stream)
-- KEYS[2]  guard hash ('' for no guard)
-- KEYS[3..] every other key the ops touch (declared for hygiene; see README on Redis Cluster)
-- ARGV[1]  consumer group, ARGV[2] entry id
-- ARGV[3]  guard mode: 'none' | 'gt' (apply only if value > stored) | 'eq' (apply only if stored == value)
-- ARGV[4]  guard field, ARGV[5] guard value, ARGV[6] new guard value (set when applied)
-- then two op lists, each: count, then per op: argc, argv...
--   first list runs always (e.g. history), second only when the guard lets the step apply.
-- Returns {status, stored}: status 1 applied, 0 skipped (stale or duplicate; still acknowledged),
-- -1 conflict (eq guard failed; NOT acknowledged, the caller decides again).
local src, guard = KEYS[1], KEYS[2]
local group, entry = ARGV[1], ARGV[2]
local mode, gfield, gvalue, gnew = ARGV[3], ARGV[4], ARGV[5], ARGV[6]

local stored = false
if guard ~= '' then stored = redis.call('HGET', guard, gfield) end
local apply = true
if mode == 'gt' then
  apply = (not stored) or tonumber(gvalue) > tonumber(stored)
elseif mode == 'eq' then
  if (stored or '') ~= gvalue then return {-1, stored or ''} end
end

local i = 7
local function run_ops(execute)
  local n = tonumber(ARGV[i]); i = i + 1
  for _ = 1, n do
    local argc = tonumber(ARGV[i]); i = i + 1
    if execute then redis.call(unpack(ARGV, i, i + argc - 1)) end
    i = i + argc
  end
end
run_ops(true)
if apply then
  if guard ~= '' and mode ~= 'none' then redis.call('HSET', guard, gfield, gnew) end
  run_ops(true)
else
  run_ops(false)
end
if src ~= '' and entry ~= '' then redis.call('XACK', src, group, entry) end
if apply then return {1, stored or ''} end
return {0, stored or ''}
