import { runStorageContract } from "@panel-access/core/contracts";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll } from "vitest";
import { PostgresStore } from "../src/index.js";
import { testDatabase } from "./database.js";

/**
 * The shared contract on a real PostgreSQL server (PGlite where none runs,
 * never in CI): first over 2 pools, then over 4 pools, each pool standing for
 * an application instance. The parallel tests prove LCK-7, ACC-8, ACC-4,
 * ACC-1, TFA-10, TFA-5 and TFA-12 across connections.
 */
const kind = await serverOrPglite();
const database = await testDatabase(kind);
afterAll(() => database.drop());

const store = new PostgresStore(database.driver, { schema: database.schema });
/** Pool `i` stands for application instance `i`; made once, reused by every test. */
const peers = new Map<number, PostgresStore>();
function peer(i: number): PostgresStore {
  const existing =
    peers.get(i) ?? new PostgresStore(database.newPool().driver, { schema: database.schema });
  peers.set(i, existing);
  return existing;
}

for (const instances of [2, 4]) {
  runStorageContract(
    `adapter-postgres on ${kind === "server" ? "a server" : "PGlite"}, ${instances} pools`,
    {
      createStore: () => store,
      createPeer: (_store, i) => peer(i),
      instances,
    },
  );
}
