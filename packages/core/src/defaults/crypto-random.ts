import { randomBytes } from "node:crypto";
import type { RandomSource } from "../ports/random.js";

/** `node:crypto.randomBytes`. The default `RandomSource`. */
export const cryptoRandom: RandomSource = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
};
