import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** A host-provided AES-256 key and the id stored beside what it encrypts (TFA-11). */
export interface EncryptionKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Uint8Array;
}

const VERSION = "v1";
const IV_BYTES = 12;

/**
 * TFA-11: AES-256-GCM with a fresh 96-bit IV, the key id stored beside the
 * ciphertext, and the account id as associated data (a ciphertext copied to
 * another account does not decrypt). Format: `v1.<keyId>.<iv>.<ciphertext>.<tag>`.
 */
export function seal(plaintext: Uint8Array, key: EncryptionKey, associatedData: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString("base64url"));
  return [VERSION, key.id, ...parts].join(".");
}

/**
 * Why a sealed value did not open: `keyNotHeld`, it names a key id this
 * instance's keys do not list (a key removed too early, or an instance
 * started without a key the others hold); `unreadable`, the key is held but
 * the data failed authentication (altered, or sealed for another record),
 * or it is not in the sealed format.
 */
export type SealedSecretFailure = "keyNotHeld" | "unreadable";

/**
 * A sealed secret could not be opened: its key id is not configured (a key
 * was removed too early) or the data was altered. A deployment problem, never
 * a person's mistake, so it is thrown rather than answered.
 */
export class SealedSecretError extends Error {
  override readonly name = "SealedSecretError";

  /**
   * @param reason why it did not open
   * @param keyId the key id the sealed value names (never the key), if it names one
   */
  constructor(
    message: string,
    readonly reason: SealedSecretFailure,
    readonly keyId: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Decrypts with whichever key the stored id names, so secrets sealed under an
 * older key still open after a new key is added (rotation). Throws when the
 * key is unknown or the data was altered: a misconfiguration or tampering,
 * never a user's mistake.
 */
export function open(
  sealed: string,
  keys: readonly EncryptionKey[],
  associatedData: string,
): Uint8Array {
  const [version, keyId, iv, ciphertext, tag] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || ciphertext === undefined || !tag) {
    throw new SealedSecretError(
      "a sealed value (TOTP secret or queued message) is not in the sealed format",
      "unreadable",
      keyId,
    );
  }
  const key = keys.find((k) => k.id === keyId);
  if (key === undefined) {
    throw new SealedSecretError(
      `a sealed value (TOTP secret or queued message) is sealed under key id "${keyId}", which is not configured`,
      "keyNotHeld",
      keyId,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return new Uint8Array(
      Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]),
    );
  } catch {
    throw new SealedSecretError(
      `a value sealed under key id "${keyId}" failed authentication (altered, or sealed for another record)`,
      "unreadable",
      keyId,
    );
  }
}

/** The id of the key that sealed `sealed`. */
export function sealedWith(sealed: string): string | undefined {
  return sealed.split(".")[1];
}
