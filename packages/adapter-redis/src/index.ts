/**
 * The throttle port on Redis, shared by every instance.
 *
 * @module @panel-access/adapter-redis
 */
export {
  DEFAULT_THROTTLE_PREFIX,
  type RedisScriptClient,
  RedisThrottleStore,
  type RedisThrottleStoreOptions,
} from "./redis-throttle-store.js";
