import type { BackupCodeRecord, BackupCodesTx } from "@panel-access/core";
import type { DateTime } from "luxon";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

const backupKey = (accountId: string, codeHash: string) => `${accountId}\u0000${codeHash}`;

/** Backup codes, keyed by account and code hash (TFA-5, TFA-6); using one holds its row lock. */
export function backupCodesTx(unit: UnitOfWork): BackupCodesTx {
  return {
    async replaceBackupCodes(accountId: string, codes: readonly BackupCodeRecord[]): Promise<void> {
      for (const old of [...unit.backupCodes.by("account", accountId)]) {
        unit.backupCodes.delete(backupKey(old.accountId, old.codeHash));
      }
      for (const code of codes) {
        if (code.accountId !== accountId)
          throw new MemoryConstraintError("backup code of another account");
        unit.backupCodes.set(backupKey(code.accountId, code.codeHash), code);
      }
    },

    async consumeBackupCode(accountId: string, codeHash: string, at: DateTime): Promise<boolean> {
      const key = backupKey(accountId, codeHash);
      await unit.lockRow(`backup:${key}`);
      const code = unit.backupCodes.get(key);
      if (code === undefined || code.usedAt !== null) return false;
      unit.backupCodes.set(key, { ...code, usedAt: at });
      return true;
    },

    async countUnusedBackupCodes(accountId: string): Promise<number> {
      return [...unit.backupCodes.by("account", accountId)].filter((code) => code.usedAt === null)
        .length;
    },
  };
}
