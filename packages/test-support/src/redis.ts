import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { afterAll } from "vitest";

/** `REDIS_URL`, or the local server this machine runs (`.ci/run` starts it). */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A client on `REDIS_URL` that fails at once instead of retrying. */
export async function connect() {
  const client = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  client.on("error", () => {}); // a failed connect rejects `connect()`; no unhandled 'error' event
  await client.connect();
  return client;
}

/** A connected node-redis client. */
export type Client = Awaited<ReturnType<typeof connect>>;

/**
 * Whether Redis answers at `REDIS_URL`. In CI (`CI=true`) it must: a
 * missing Redis fails the run there instead of skipping its tests.
 */
export async function redisAvailable(): Promise<boolean> {
  try {
    const client = await connect();
    await client.ping();
    client.destroy();
    return true;
  } catch (cause) {
    if (process.env.CI === "true")
      throw new Error(`CI needs Redis at ${REDIS_URL} (.ci/run starts it): ${String(cause)}`);
    console.warn(
      `No Redis at ${REDIS_URL}: the tests that need it are skipped (set REDIS_URL, or start redis-server).`,
    );
    return false;
  }
}

/** A prefix no other test run uses: `panel-access-test:<random>:`. */
export function uniquePrefix(): string {
  return `panel-access-test:${randomBytes(6).toString("hex")}:`;
}

/** Deletes every key under `prefix` (SCAN, so a shared Redis is not blocked). */
export async function deleteUnder(client: Client, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) deleted += await client.del(keys);
  }
  return deleted;
}

/** What a test file gets from `redisForTests`. */
export interface RedisForTests {
  /** Whether Redis answers (in CI it must, else `redisForTests` throws). */
  readonly available: boolean;
  /** This file's own key prefix (`uniquePrefix()`). */
  readonly prefix: string;
  /** `count` connected clients, or none when Redis is not available. */
  readonly clients: readonly Client[];
}

/**
 * Connects `count` clients for one test file (several stand for several
 * application instances) under a prefix of its own, and after the file's
 * tests deletes every key under that prefix and closes the clients.
 */
export async function redisForTests(count: number): Promise<RedisForTests> {
  const available = await redisAvailable();
  const prefix = uniquePrefix();
  const clients: Client[] = [];
  if (available) for (let i = 0; i < count; i++) clients.push(await connect());
  afterAll(async () => {
    const [first] = clients;
    if (first !== undefined) await deleteUnder(first, prefix);
    for (const client of clients) client.destroy();
  });
  return { available, prefix, clients };
}
