import { type MailIntent, mailIntentSchema } from "../domain/mail.js";
import { type EncryptionKey, open, seal } from "../secrets/secret-box.js";

/**
 * Seals a message intent for the outbox. Its links carry live tokens, so the
 * stored form is encrypted like a TOTP secret (AES-256-GCM), bound to the
 * message id: a payload copied onto another message does not open.
 */
export function sealIntent(intent: MailIntent, key: EncryptionKey, messageId: string): string {
  return seal(Buffer.from(JSON.stringify(intent), "utf8"), key, `mail:${messageId}`);
}

/**
 * Opens what `sealIntent` sealed. Throws `SealedSecretError` for an unknown
 * key or altered data, and a zod error for a payload of the wrong shape.
 */
export function openIntent(
  sealed: string,
  keys: readonly EncryptionKey[],
  messageId: string,
): MailIntent {
  const json = Buffer.from(open(sealed, keys, `mail:${messageId}`)).toString("utf8");
  return mailIntentSchema.parse(JSON.parse(json));
}
