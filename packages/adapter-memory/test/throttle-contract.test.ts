import { runThrottleContract } from "@panel-access/core/testing";
import { MemoryThrottleStore } from "../src/index.js";

/** The shared throttle contract (LCK-9) on the in-memory store; "another instance" is the same object. */
runThrottleContract("adapter-memory", { createStore: () => new MemoryThrottleStore() });
