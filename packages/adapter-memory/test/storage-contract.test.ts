import { runStorageContract } from "@panel-access/core/contracts";
import { MemoryStore } from "../src/index.js";

/**
 * The shared storage contract, on the memory store. Besides the port's own
 * behaviour it proves, with parallel calls: LCK-7 (100 wrong passwords lock
 * once, 6 guesses checked), ACC-8 (a link registers once), ACC-4 (one working
 * link after parallel resends), ACC-1 (one account per e-mail), TFA-10 (a
 * TOTP code accepted once), TFA-5 (a backup code accepted once) and TFA-12
 * (a challenge completes one login).
 */
runStorageContract("adapter-memory", { createStore: () => new MemoryStore() });
