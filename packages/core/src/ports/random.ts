/** Cryptographically secure randomness. The default reads `node:crypto.randomBytes`. */
export interface RandomSource {
  /** `length` bytes from a CSPRNG. */
  bytes(length: number): Uint8Array;
}
