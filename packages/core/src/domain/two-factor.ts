import type { DateTime } from "luxon";

/** TFA-5: one backup code as stored: its SHA-256, never the code. One record per code. */
export interface BackupCodeRecord {
  readonly accountId: string;
  readonly codeHash: string;
  readonly createdAt: DateTime;
  readonly usedAt: DateTime | null;
}

/**
 * TFA-7: a browser whose login skipped the second factor. The host keeps the
 * token in that browser's cookie; only its secret's hash is stored.
 */
export interface RememberedBrowserRecord {
  /** The token's public selector. */
  readonly id: string;
  readonly accountId: string;
  readonly secretHash: string;
  /** TFA-13: a label the host supplies, e.g. "Firefox on Linux". */
  readonly label: string | null;
  readonly createdAt: DateTime;
  readonly lastUsedAt: DateTime;
  readonly expiresAt: DateTime;
}
