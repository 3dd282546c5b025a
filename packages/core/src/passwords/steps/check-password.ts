import type { EnteredPassword } from "../../input/schemas.js";
import type { Dependencies } from "../../runtime/dependencies.js";

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
 * LCK-8, PWD-7: checks the password against the stored hash, or against the
 * dummy hash when there is none, so every check costs the same: one full
 * verification, or two for a password whose version-1 form differs (PWD-1
 * v2: version 1 hashed NFC, version 2 hashes NFKC), whatever the account. A
 * match against a hash with weaker parameters, or of the version-1 form,
 * also answers the new hash, for the caller to store in the same unit of work.
 */
export async function checkPassword(
  deps: Dependencies,
  stored: string | null,
  entered: EnteredPassword,
): Promise<PasswordCheck> {
  const hasher = deps.passwordHasher;
  const hash = stored ?? (await deps.dummyPasswordHash());
  const { password, versionOneForm } = entered;
  let matches = await hasher.verify(hash, password);
  let upgrade = matches && (hasher.needsRehash?.(hash) ?? false);
  if (!matches && versionOneForm !== null) {
    matches = await hasher.verify(hash, versionOneForm);
    upgrade = matches;
  }
  matches &&= stored !== null;
  return { matches, upgradedHash: matches && upgrade ? await hasher.hash(password) : null };
}
