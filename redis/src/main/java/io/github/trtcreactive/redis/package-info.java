/**
 * A rate-limit store on Redis: {@link io.github.trtcreactive.redis.RedisLimitStore} shares one budget
 * per account and action among every process of a fleet.
 */
package io.github.trtcreactive.redis;
