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
    needsRehash: (stored) => {
      const found = parametersOf(stored);
      return (
        found === null ||
        found.memoryCost < parameters.memoryCost ||
        found.timeCost < parameters.timeCost ||
        found.parallelism < parameters.parallelism
      );
    },
  };
}

/** The PHC string's argon2id parameters (`$argon2id$v=19$m=…,t=…,p=…$…`); `null` for anything else. */
export function parametersOf(stored: string): Argon2Parameters | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (match === null) return null;
  return {
    memoryCost: Number(match[1]),
    timeCost: Number(match[2]),
    parallelism: Number(match[3]),
  };
}

/**
 * PWD-1: OWASP's argon2id configurations of equal strength (Password Storage
 * Cheat Sheet): memory in KiB with the passes it needs. Parameters meet the
 * floor when they reach one of them in both memory and passes.
 */
const OWASP_FLOOR: readonly { memoryCost: number; timeCost: number }[] = [
  { memoryCost: 47_104, timeCost: 1 },
  { memoryCost: 19_456, timeCost: 2 },
  { memoryCost: 12_288, timeCost: 3 },
  { memoryCost: 9_216, timeCost: 4 },
  { memoryCost: 7_168, timeCost: 5 },
];

/** PWD-1: whether argon2id parameters are at or above the OWASP floor. */
export function meetsOwaspFloor(parameters: Argon2Parameters): boolean {
  return OWASP_FLOOR.some(
    (f) => parameters.memoryCost >= f.memoryCost && parameters.timeCost >= f.timeCost,
  );
}
