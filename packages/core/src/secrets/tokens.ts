import { hash, timingSafeEqual } from "node:crypto";
import type { RandomSource } from "../ports/random.js";

/** 16 bytes = 128 bits for the public selector. */
const SELECTOR_BYTES = 16;
/** 32 bytes = 256 bits for the secret (ACC-8 asks for at least 128). */
const SECRET_BYTES = 32;

/** A freshly minted token: the string to hand out once, and what to store. */
export interface MintedToken {
  /** `<id>.<secret>`, base64url. Goes into the e-mailed link or cookie, never into storage. */
  readonly token: string;
  /** The record id (public selector). */
  readonly id: string;
  /** Hex SHA-256 of the secret: the only form that is stored. */
  readonly secretHash: string;
}

/** Matches what `mintToken` produces: 22 + 1 + 43 base64url characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  // One-shot (Node >= 20.12): no Hash stream object on the login path.
  return hash("sha256", value, "hex");
}

/** A random record id (128 bits, base64url). */
export function newId(random: RandomSource): string {
  return toBase64Url(random.bytes(SELECTOR_BYTES));
}

/** ACC-8: a selector/secret token from a CSPRNG, stored only as a SHA-256 hash. */
export function mintToken(random: RandomSource): MintedToken {
  // One CSPRNG call for both parts: a login mints one on its hot path.
  const bytes = random.bytes(SELECTOR_BYTES + SECRET_BYTES);
  const id = toBase64Url(bytes.subarray(0, SELECTOR_BYTES));
  const secret = toBase64Url(bytes.subarray(SELECTOR_BYTES));
  return { token: `${id}.${secret}`, id, secretHash: sha256Hex(secret) };
}

/** Splits a token that matched `TOKEN_PATTERN`. */
export function splitToken(token: string): { id: string; secret: string } {
  const dot = token.indexOf(".");
  return { id: token.slice(0, dot), secret: token.slice(dot + 1) };
}

/** ACC-8: compares the secret's hash with the stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = hash("sha256", secret, "buffer");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
