/**
 * Password hashing. The default is argon2id (`createArgon2idHasher`). Both
 * methods must do their work off the main thread or at least not block it.
 */
export interface PasswordHasher {
  /** A self-describing hash (PHC string) of an already normalised password. */
  hash(password: string): Promise<string>;
  /** `true` when `password` matches `hash`. Costs one full hash, whatever the outcome. */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * PWD-7: `true` when `hash` was made with weaker parameters (or another
   * algorithm) than this hasher's, so a successful login should hash the
   * password anew. Optional: a hasher without it never re-hashes.
   */
  needsRehash?(hash: string): boolean;
}
