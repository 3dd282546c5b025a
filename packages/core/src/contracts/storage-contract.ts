import { describe } from "vitest";
import type { StoragePort } from "../ports/storage.js";
import { runMailOutboxContract } from "./mail-outbox-contract.js";
import { runAuditContract } from "./storage-contract/audit.js";
import { runBrowserAndSessionContract } from "./storage-contract/browsers-and-sessions.js";
import { runLinkQueryContract } from "./storage-contract/link-queries.js";
import { runRoundTripContract } from "./storage-contract/record-round-trips.js";
import { runSessionSnapshotContract } from "./storage-contract/session-snapshot.js";
import { runSingleUseContract } from "./storage-contract/single-use-guards.js";
import { runTextFidelityContract } from "./storage-contract/text-fidelity.js";
import { runUnitOfWorkContract } from "./storage-contract/unit-of-work.js";
import { runUseCaseRaces } from "./use-case-races.js";

/** How the contract gets a store to test. */
export interface StoreFactory {
  /** A store over an empty database (a fresh schema, a fresh instance). */
  createStore(): StoragePort | Promise<StoragePort>;
  /**
   * Optional: another store over the same database, standing for another
   * application instance (Postgres: another pool). Parallel tests spread their
   * calls over all instances. @default the same store
   */
  createPeer?(store: StoragePort, index: number): StoragePort | Promise<StoragePort>;
  /** How many instances the parallel tests spread over. @default 2 */
  instances?: number;
}

/** How many parallel callers the race tests start. */
const PARALLEL = 50;

/**
 * The storage port's contract: every adapter runs it unchanged, and is done
 * when it passes. Call it at the top level of a vitest test file.
 */
export function runStorageContract(name: string, factory: StoreFactory): void {
  /** The store, then its peers: one per application instance. */
  async function stores(): Promise<[StoragePort, ...StoragePort[]]> {
    const store = await factory.createStore();
    const peers: StoragePort[] = [];
    for (let i = 1; i < (factory.instances ?? 2); i++) {
      peers.push(factory.createPeer ? await factory.createPeer(store, i) : store);
    }
    return [store, ...peers];
  }

  describe(`storage contract: ${name}`, () => {
    runRoundTripContract(stores);
    runLinkQueryContract(stores);
    runUnitOfWorkContract(stores, PARALLEL);
    runSingleUseContract(stores, PARALLEL);
    runBrowserAndSessionContract(stores);
    runSessionSnapshotContract(stores, PARALLEL);
    runTextFidelityContract(stores);
    runMailOutboxContract(stores, PARALLEL);
    runAuditContract(stores, PARALLEL);
    runUseCaseRaces(stores, PARALLEL);
  });
}
