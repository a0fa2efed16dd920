-- Publishes one callback event to the fleet's stream, unless an instance published it within the window.
-- KEYS[1]: the event's deduplication key; KEYS[2]: the stream
-- ARGV[1]: the window, milliseconds; ARGV[2]: the stream's approximate maximum length;
-- ARGV[3]: the application; ARGV[4]: the body, Base64.
-- Returns {1} when published, {0} when the fleet had it already.
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', tonumber(ARGV[1])) then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', tonumber(ARGV[2]), '*', 'app', ARGV[3], 'body', ARGV[4])
  return {1}
end
return {0}
