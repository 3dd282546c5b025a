import type { StoragePort } from "../ports/storage.js";
import { runInvitationRaces } from "./use-case-races/invitation-races.js";
import { runLoginRaces } from "./use-case-races/login-races.js";
import { runMailRaces } from "./use-case-races/mail-races.js";

/** Use cases raced through the store: what the port's guarantees buy. */
export function runUseCaseRaces(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  runInvitationRaces(stores, parallel);
  runLoginRaces(stores, parallel);
  runMailRaces(stores, parallel);
}
