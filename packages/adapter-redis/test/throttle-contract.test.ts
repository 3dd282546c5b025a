import { runThrottleContract } from "@panel-access/core/contracts";
import { type Client, redisForTests } from "@panel-access/test-support/redis";
import { describe } from "vitest";
import { RedisThrottleStore } from "../src/index.js";

/**
 * The shared throttle contract (LCK-9) on a real Redis at `REDIS_URL`, with
 * 2 clients standing for 2 application instances: the parallel tests prove
 * that `add` is atomic per key across connections. Every store gets a
 * prefix of its own under this run's prefix; the run deletes its keys
 * afterwards. Without Redis the tests are skipped and say so, except in CI,
 * where a missing Redis fails.
 */
const { available, prefix: run, clients } = await redisForTests(2);
let stores = 0;

function client(i: number): Client {
  const found = clients[i];
  if (found === undefined) throw new Error(`no Redis client ${i}`);
  return found;
}

describe.runIf(available)("adapter-redis against a real Redis", () => {
  runThrottleContract("adapter-redis, 2 clients", {
    createStore: () => new RedisThrottleStore(client(0), { prefix: `${run}${stores++}:` }),
    createPeer: (store, i) => {
      if (!(store instanceof RedisThrottleStore)) throw new Error("not a RedisThrottleStore");
      return new RedisThrottleStore(client(i), { prefix: store.prefix });
    },
    instances: 2,
  });
});
