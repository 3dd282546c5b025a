import type { Dependencies } from "./dependencies.js";

/** What checking a password found. */
export interface PasswordCheck {
  readonly matches: boolean;
  /**
   * PWD-7: a hash of the same password with the current parameters, when it
   * matched a hash made with weaker ones; `null` otherwise.
   */
  readonly upgradedHash: string | null;
}

/**
 * LCK-8, PWD-7: checks `password` against the stored hash, or against the
 * dummy hash when there is none, so every check costs one full verification.
 * A match against a hash with weaker parameters also answers the new hash,
 * for the caller to store in the same unit of work.
 */
export async function checkPassword(
  deps: Dependencies,
  stored: string | null,
  password: string,
): Promise<PasswordCheck> {
  const hasher = deps.passwordHasher;
  const hash = stored ?? (await deps.dummyPasswordHash());
  const matches = (await hasher.verify(hash, password)) && stored !== null;
  const upgrade = matches && (hasher.needsRehash?.(hash) ?? false);
  return { matches, upgradedHash: upgrade ? await hasher.hash(password) : null };
}
