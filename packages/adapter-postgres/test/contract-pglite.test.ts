import { runStorageContract } from "@panel-access/core/contracts";
import { afterAll } from "vitest";
import { PostgresStore } from "../src/index.js";
import { testDatabase } from "./database.js";

/** The shared contract on PGlite: real Postgres in WebAssembly, one connection. */
const database = await testDatabase("pglite");
afterAll(() => database.drop());

runStorageContract("adapter-postgres on PGlite", {
  createStore: () => new PostgresStore(database.driver, { schema: database.schema }),
});
