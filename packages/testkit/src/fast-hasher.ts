import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PasswordHasher } from "@panel-access/core";

/**
 * A password hasher for tests about rules, not hashing: salted SHA-256,
 * microseconds per call, so that tens of thousands of generated histories
 * run in seconds. **Never in production**: it is fast, which is exactly what
 * a password hash must not be. Real tests of hashing use argon2id
 * (`TEST_ARGON2`, or the defaults).
 */
export function fastInsecureHasher(): PasswordHasher {
  const digest = (salt: string, password: string) =>
    createHash("sha256").update(`${salt}:${password}`, "utf8").digest("hex");
  return {
    async hash(password: string): Promise<string> {
      const salt = randomBytes(8).toString("hex");
      return `test-sha256$${salt}$${digest(salt, password)}`;
    },
    async verify(hash: string, password: string): Promise<boolean> {
      const [scheme, salt = "", expected = ""] = hash.split("$");
      if (scheme !== "test-sha256") return false;
      const actual = Buffer.from(digest(salt, password), "hex");
      const wanted = Buffer.from(expected, "hex");
      return actual.length === wanted.length && timingSafeEqual(actual, wanted);
    },
  };
}
