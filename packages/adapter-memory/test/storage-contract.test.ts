import { runStorageContract } from "@panel-access/core/testing";
import { MemoryStore } from "../src/index.js";

runStorageContract("adapter-memory", { createStore: () => new MemoryStore() });
