import { DateTime } from "luxon";
import { z } from "zod";
import type { MailIntent, MailKind } from "../domain/mail.js";
import { type EncryptionKey, open, seal } from "../secrets/secret-box.js";

const instant = z.iso
  .datetime({ offset: true })
  .transform((iso) => DateTime.fromISO(iso, { setZone: true }).toUTC());
const panel = z.object({ id: z.string(), name: z.string() });
const access = z.discriminatedUnion("type", [
  z.object({ type: z.literal("permanent") }),
  z.object({ type: z.literal("temporary"), endsAt: instant }),
]);

/** The stored form of every `MailIntent`, with instants as ISO strings. */
const intentSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("invitation"),
    to: z.string(),
    link: z.string(),
    expiresAt: instant,
    panel,
    role: z.string(),
  }),
  z.object({
    kind: z.literal("accessRestored"),
    to: z.string(),
    loginLink: z.string(),
    panel,
    role: z.string(),
    access,
  }),
  z.object({
    kind: z.literal("passwordReset"),
    to: z.string(),
    link: z.string(),
    expiresAt: instant,
  }),
  z.object({
    kind: z.literal("accountLocked"),
    to: z.string(),
    resetLink: z.string(),
    expiresAt: instant,
  }),
  z.object({ kind: z.literal("accountBlocked"), to: z.string() }),
  z.object({
    kind: z.literal("twoFactorReset"),
    to: z.string(),
    panel: panel.nullable(),
    loginLink: z.string(),
  }),
  z.object({
    kind: z.literal("accessGranted"),
    to: z.string(),
    loginLink: z.string(),
    panel,
    role: z.string(),
    access,
    grantedBy: z.string().nullable(),
    at: instant,
  }),
  ...(["passwordChanged", "twoFactorEnabled", "backupCodesRegenerated"] as const).map((kind) =>
    z.object({ kind: z.literal(kind), to: z.string(), at: instant, loginLink: z.string() }),
  ),
  z.object({
    kind: z.literal("browserRemembered"),
    to: z.string(),
    at: instant,
    label: z.string().nullable(),
    until: instant,
    loginLink: z.string(),
  }),
]);

/**
 * The stored form and the domain type must describe the same messages: a kind
 * or a field missing from either side fails to compile (and `openIntent`'s
 * return checks that every stored field has the domain's type).
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Stored = z.output<typeof intentSchema>;
type FieldsAgree = {
  [K in MailKind]: Same<keyof Extract<Stored, { kind: K }>, keyof Extract<MailIntent, { kind: K }>>;
};
const schemaMatchesIntents: Same<Stored["kind"], MailKind> & FieldsAgree[MailKind] = true;
void schemaMatchesIntents;

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
  return intentSchema.parse(JSON.parse(json));
}
