import type { ThrottleChange, ThrottleStore } from "@panel-access/core";
import type { DateTime } from "luxon";
import { ADD_SCRIPT, ADD_SCRIPT_SHA1 } from "./script.js";

/**
 * What the store needs of a Redis client: the calls of a node-redis
 * (`redis` 6) client, `createClient()` or `createCluster()`, connected by
 * the host. Any object with these three methods will do.
 */
export interface RedisScriptClient {
  /** EVALSHA: runs a script Redis has cached. */
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** EVAL: runs (and caches) a script. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** DEL: deletes keys. */
  del(keys: string[]): Promise<unknown>;
}

/** Options of {@link RedisThrottleStore}. */
export interface RedisThrottleStoreOptions {
  /**
   * Put before every counter's key, to share a Redis with other data (and
   * keep apart two deployments that share one). On a Redis Cluster, put a
   * hash tag in it (`{panel-access}:throttle:`) so the keys of one `add`
   * share a slot (see docs/redis.md).
   * @default "panel-access:throttle:"
   */
  readonly prefix?: string;
}

/** The key prefix when the host gives none. */
export const DEFAULT_THROTTLE_PREFIX = "panel-access:throttle:";

/**
 * LCK-9: throttle counters in Redis, shared by every application instance
 * that uses the same Redis and prefix.
 *
 * Each counter is a hash `{ value, updatedAt }` at `prefix + key`. `add`
 * runs one Lua script for all its changes, so each key's
 * read-decay-add-write is atomic across clients; the decay uses the
 * caller's `now` (the clock port), never Redis's time. Every written key
 * gets a TTL (20 half-lives for a count of 1, one more per doubling), after
 * which its count would have decayed to nothing; a count at 0 is deleted.
 *
 * The host owns the client: it connects it before use and closes it at
 * shutdown.
 */
export class RedisThrottleStore implements ThrottleStore {
  readonly #client: RedisScriptClient;
  /** The prefix of every key this store writes. */
  readonly prefix: string;

  /**
   * @param client A connected node-redis client (or cluster).
   * @param options The key prefix.
   */
  constructor(client: RedisScriptClient, options: RedisThrottleStoreOptions = {}) {
    this.#client = client;
    this.prefix = options.prefix ?? DEFAULT_THROTTLE_PREFIX;
  }

  async add(changes: readonly ThrottleChange[], now: DateTime): Promise<number[]> {
    if (changes.length === 0) return [];
    const at = now.toMillis();
    if (!Number.isFinite(at)) throw new RangeError("throttle: now is not a valid time");
    const keys: string[] = [];
    const args: string[] = [String(at)];
    for (const { key, amount, halfLife } of changes) {
      const ms = halfLife.toMillis();
      if (!(ms > 0 && Number.isFinite(ms)))
        throw new RangeError(`throttle: a half-life must be positive (got ${ms} ms)`);
      if (!Number.isFinite(amount)) throw new RangeError("throttle: an amount must be finite");
      keys.push(this.prefix + key);
      args.push(String(amount), String(ms));
    }
    const reply = await this.#run(keys, args);
    if (!Array.isArray(reply) || reply.length !== changes.length)
      throw new Error("throttle: unexpected reply from the Redis script");
    return reply.map((value) => {
      const number = Number(String(value));
      if (!Number.isFinite(number)) throw new Error(`throttle: Redis answered ${String(value)}`);
      return number;
    });
  }

  async clear(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#client.del(keys.map((key) => this.prefix + key));
  }

  /** EVALSHA, or EVAL when Redis has not cached the script (first call, restart, SCRIPT FLUSH). */
  async #run(keys: string[], args: string[]): Promise<unknown> {
    const options = { keys, arguments: args };
    try {
      return await this.#client.evalSha(ADD_SCRIPT_SHA1, options);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
      return this.#client.eval(ADD_SCRIPT, options);
    }
  }
}
