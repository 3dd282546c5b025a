import type { RandomSource } from "../ports/random.js";
import { sha256Hex } from "./tokens.js";

/** Crockford's base32: no I, L, O or U, so nothing is mistaken for 1, 0 or V. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 16 symbols × 5 bits = 80 bits of entropy per code (TFA-5 asks for at least 64). */
const SYMBOLS = 16;

/** What a person may type: the 16 symbols, any case, with or without dashes and spaces. */
export const BACKUP_CODE_INPUT = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/** A fresh code, shown once, grouped for reading: `XXXX-XXXX-XXXX-XXXX`. */
export function newBackupCode(random: RandomSource): string {
  const bytes = random.bytes(SYMBOLS);
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  const symbols = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
  return symbols.match(/.{4}/g)?.join("-") ?? symbols;
}

/** The canonical form of a typed code: upper case, no dashes or spaces. */
export function normaliseBackupCode(typed: string): string {
  return typed.replace(/[\s-]/g, "").toUpperCase();
}

/**
 * TFA-5: stored only as SHA-256 of the canonical form. 80 random bits need no
 * slow hash: checking a code costs one SHA-256 and one indexed lookup, not a
 * password hash per stored code.
 */
export function backupCodeHash(typed: string): string {
  return sha256Hex(normaliseBackupCode(typed));
}
