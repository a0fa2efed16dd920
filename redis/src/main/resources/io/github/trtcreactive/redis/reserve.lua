-- Reserves the next moment of one permit under a virtual-scheduling schedule, timed by Redis's clock.
-- KEYS[1]: the schedule's key (its theoretical arrival time, in microseconds of Redis time)
-- ARGV[1]: the spacing of permits, microseconds
-- ARGV[2]: the burst tolerance, microseconds ((burst - 1) * spacing)
-- ARGV[3]: the longest acceptable wait, microseconds
-- ARGV[4]: how long the key lives unused, milliseconds
-- ARGV[5]: a hold-off, microseconds: nothing earlier than now plus this is reserved
-- Returns {wait in microseconds, the new arrival time, Redis's now} or {-1, the wait it would have
-- needed, Redis's now}. Redis's now lets the caller place the moment on its own clock.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local earliest = now + tonumber(ARGV[5])
if tat < earliest then
  tat = earliest
end
local wait = tat - tonumber(ARGV[2]) - now
if wait < 0 then
  wait = 0
end
if wait > tonumber(ARGV[3]) then
  return {-1, wait, now}
end
local next_tat = tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], next_tat, 'PX', tonumber(ARGV[4]))
return {wait, next_tat, now}
