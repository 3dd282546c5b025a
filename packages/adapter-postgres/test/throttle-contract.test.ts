import { runThrottleContract } from "@panel-access/core/contracts";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll } from "vitest";
import { PostgresThrottleStore } from "../src/index.js";
import { testDatabase } from "./database.js";

/**
 * LCK-9: the throttle contract on a real PostgreSQL server (PGlite where
 * none runs, never in CI), over 2 and over 4 pools, each pool standing for
 * an application instance: parallel adds to one key from every pool are all
 * counted. Then on PGlite (one connection).
 */
const kind = await serverOrPglite();
const database = await testDatabase(kind);
const pglite = kind === "pglite" ? database : await testDatabase("pglite");
afterAll(async () => {
  await database.drop();
  if (pglite !== database) await pglite.drop();
});

const store = new PostgresThrottleStore(database.driver, { schema: database.schema });
/** Pool `i` stands for application instance `i`; made once, reused by every test. */
const peers = new Map<number, PostgresThrottleStore>();
function peer(i: number): PostgresThrottleStore {
  const existing =
    peers.get(i) ??
    new PostgresThrottleStore(database.newPool().driver, { schema: database.schema });
  peers.set(i, existing);
  return existing;
}

for (const instances of [2, 4]) {
  runThrottleContract(
    `adapter-postgres on ${kind === "server" ? "a server" : "PGlite"}, ${instances} pools`,
    { createStore: () => store, createPeer: (_store, i) => peer(i), instances },
  );
}

if (kind === "server") {
  runThrottleContract("adapter-postgres on PGlite", {
    createStore: () => new PostgresThrottleStore(pglite.driver, { schema: pglite.schema }),
  });
}
