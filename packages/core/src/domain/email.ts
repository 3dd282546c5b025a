/**
 * Account key normalisation: trimmed, Unicode NFC, lower-cased. Two inputs that
 * normalise to the same string are the same account (RULES.md, Terms).
 */
export function normaliseEmail(email: string): string {
  return email.trim().normalize("NFC").toLowerCase();
}
