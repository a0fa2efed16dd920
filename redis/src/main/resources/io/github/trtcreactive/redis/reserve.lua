-- Reserves the next moment of one permit under a virtual-scheduling schedule, timed by Redis's clock.
-- KEYS[1]: the schedule's key (its theoretical arrival time, in microseconds of Redis time)
-- KEYS[2]: the background share's key (its own arrival time), used by background calls only
-- ARGV[1]: the spacing of permits, microseconds
-- ARGV[2]: the burst tolerance, microseconds ((burst - 1) * spacing)
-- ARGV[3]: the longest acceptable wait, microseconds
-- ARGV[4]: how long the key lives unused, milliseconds
-- ARGV[5]: a hold-off, microseconds: nothing earlier than now plus this is reserved
-- ARGV[6]: 1 for a background call, else 0
-- ARGV[7]: the spacing of the background share's permits, microseconds (spacing / share)
-- Returns {wait in microseconds, the new arrival time, Redis's now}; {-1, the wait it would have
-- needed, Redis's now} when that is beyond the longest acceptable wait; or, for a background call
-- that found neither a free moment within half a spacing of now nor a share permit, {-2, when to
-- ask again in microseconds, Redis's now}. Redis's now lets the caller place the moment on its own clock.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local spacing = tonumber(ARGV[1])
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
local horizon = spacing / 2
if ARGV[6] == '1' and wait > horizon then
  local share_tat = tonumber(redis.call('GET', KEYS[2]) or '0')
  if share_tat > now then
    local again = wait - horizon
    if share_tat - now < again then
      again = share_tat - now
    end
    if again < horizon then
      again = horizon
    end
    return {-2, math.floor(again), now}
  end
  redis.call('SET', KEYS[2], now + tonumber(ARGV[7]), 'PX', tonumber(ARGV[4]))
end
local next_tat = tat + spacing
redis.call('SET', KEYS[1], next_tat, 'PX', tonumber(ARGV[4]))
return {wait, next_tat, now}
