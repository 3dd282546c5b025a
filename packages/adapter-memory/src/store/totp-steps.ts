import type { TotpStepsTx } from "@panel-access/core";
import type { UnitOfWork } from "./unit-of-work.js";

/** The last accepted TOTP step per account (TFA-10); accepting holds the account's step lock. */
export function totpStepsTx(unit: UnitOfWork): TotpStepsTx {
  return {
    async acceptTotpStep(accountId: string, step: number): Promise<boolean> {
      await unit.lockRow(`totp:${accountId}`);
      const last = unit.totpSteps.get(accountId);
      if (last !== undefined && last.step >= step) return false;
      unit.totpSteps.set(accountId, { step });
      return true;
    },

    async forgetTotpSteps(accountId: string): Promise<void> {
      unit.totpSteps.delete(accountId);
    },
  };
}
