import type { DateTime } from "luxon";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import { backupCodeHash, newBackupCode } from "../../secrets/backup-codes.js";

/**
 * TFA-2, TFA-6: a fresh set of backup codes replaces the old set at once.
 * Returns the codes to show once; only their hashes are stored (TFA-5).
 */
export async function issueBackupCodes(
  deps: Dependencies,
  tx: StorageTx,
  accountId: string,
  now: DateTime,
): Promise<string[]> {
  const codes = Array.from({ length: deps.options.twoFactor.backupCodeCount }, () =>
    newBackupCode(deps.random),
  );
  await tx.replaceBackupCodes(
    accountId,
    codes.map((code) => ({
      accountId,
      codeHash: backupCodeHash(code),
      createdAt: now,
      usedAt: null,
    })),
  );
  return codes;
}
