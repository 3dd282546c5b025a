import { type Algorithm, hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "../ports/password-hasher.js";

/** argon2id cost parameters. */
export interface Argon2Parameters {
  /** Memory in KiB. @default 19456 (19 MiB, OWASP Password Storage Cheat Sheet minimum) */
  readonly memoryCost: number;
  /** Passes. @default 2 */
  readonly timeCost: number;
  /** Lanes. @default 1 */
  readonly parallelism: number;
}

/** The OWASP Password Storage Cheat Sheet's argon2id minimum (m=19 MiB, t=2, p=1). */
export const OWASP_ARGON2ID: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// `Algorithm` is an ambient const enum; 2 is its Argon2id member.
const ARGON2ID = 2 as Algorithm;

/**
 * argon2id through @node-rs/argon2, which hashes on libuv's thread pool so the
 * event loop stays free.
 */
export function createArgon2idHasher(
  parameters: Argon2Parameters = OWASP_ARGON2ID,
): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...parameters };
  return {
    hash: (password) => hash(password, options),
    verify: (stored, password) => verify(stored, password, options),
  };
}
