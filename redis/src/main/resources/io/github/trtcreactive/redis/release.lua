-- Gives back the latest reservation of a schedule (only the latest: giving back an earlier one would
-- move the moments others already hold).
-- KEYS[1]: the schedule's key; ARGV[1]: the arrival time the reservation set; ARGV[2]: the spacing;
-- ARGV[3]: how long the key lives unused, milliseconds. Returns 1 when given back, else 0.
local tat = redis.call('GET', KEYS[1])
if tat and tonumber(tat) == tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], tonumber(tat) - tonumber(ARGV[2]), 'PX', tonumber(ARGV[3]))
  return 1
end
return 0
