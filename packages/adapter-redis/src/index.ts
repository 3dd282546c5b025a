export {
  DEFAULT_THROTTLE_PREFIX,
  type RedisScriptClient,
  RedisThrottleStore,
  type RedisThrottleStoreOptions,
} from "./redis-throttle-store.js";
