/**
 * PWD-6: why a screen refused a new password.
 *
 * - `common`: on a list of commonly used passwords, or a trivial variant of
 *   one (case, spaces, a few digits or symbols before or after, leetspeak).
 * - `breached`: found in a corpus of passwords from breaches (a host's
 *   screen, e.g. one that queries a corpus by hash prefix).
 * - `contextual`: built from the account's own e-mail (its local part or
 *   domain) or the product's name, with little else.
 * - `repetitive`: one short run of characters repeated (`aaaaaaaa`,
 *   `abcabcabc`, `12121212`).
 */
export type PasswordScreenReason = "common" | "breached" | "contextual" | "repetitive";

/** PWD-6: what a screen answers. Never holds the password or any part of it. */
export type ScreenVerdict =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly reason: PasswordScreenReason };

/** PWD-6: what a screen knows about the person choosing the password. */
export interface PasswordScreenContext {
  /** The account's e-mail, normalised (trimmed, NFC, lower-case). */
  readonly email: string;
  /** The product's name: `options.twoFactor.issuer` (@default "Panel Access"). */
  readonly productName: string;
}

/**
 * PWD-6: screens a new password at registration and at reset, never at login.
 * The password has already passed PWD-1 (8 to 256 code points, well-formed)
 * and is NFKC-normalised.
 *
 * The default, `createOfflinePasswordScreen()`, works offline: a list of
 * common and breached passwords, the context words and repetition. A host's
 * screen replaces it; to add one to it (a breach corpus queried by hash
 * prefix), combine them with `combinePasswordScreens`.
 *
 * A screen that throws or rejects refuses the password with
 * `PASSWORD_SCREEN_UNAVAILABLE` (fail closed), and nothing changes. A screen
 * that should fail open catches its own errors and answers `{ accepted: true }`.
 */
export interface PasswordScreen {
  /** Accepts the password, or refuses it with a reason. Must not log or keep the password. */
  screen(password: string, context: PasswordScreenContext): Promise<ScreenVerdict>;
}
