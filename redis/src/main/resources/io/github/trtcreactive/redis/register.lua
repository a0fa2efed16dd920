-- Registers one process of a fleet for an account and counts the live ones.
-- KEYS[1]: the account's sorted set of processes (score: when the registration lapses, ms of Redis time)
-- ARGV[1]: this process's id; ARGV[2]: how long a registration lives, milliseconds.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return {redis.call('ZCARD', KEYS[1])}
