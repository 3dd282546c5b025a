import type { RememberedBrowserRecord, RememberedBrowsersTx } from "@panel-access/core";
import type { DateTime } from "luxon";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

/**
 * The row lock of a remembered browser: taken by the writes that may race
 * (touch, delete, cleanup), so a touch's commit never puts back a browser
 * forgotten meanwhile, as PostgreSQL's row lock ensures there.
 */
export const rememberedBrowserRowLock = (id: string) => `remembered-browser:${id}`;

/** Remembered browsers, unique by id, of an account that exists (TFA-7, TFA-13). */
export function rememberedBrowsersTx(unit: UnitOfWork): RememberedBrowsersTx {
  return {
    async createRememberedBrowser(browser: RememberedBrowserRecord): Promise<void> {
      if (unit.rememberedBrowsers.has(browser.id))
        throw new MemoryConstraintError("browser id already exists");
      if (!unit.accounts.has(browser.accountId))
        throw new MemoryConstraintError("browser of an unknown account");
      unit.rememberedBrowsers.set(browser.id, browser);
    },

    async findRememberedBrowser(id: string): Promise<RememberedBrowserRecord | null> {
      return unit.rememberedBrowsers.get(id) ?? null;
    },

    async listRememberedBrowsers(accountId: string): Promise<RememberedBrowserRecord[]> {
      return [...unit.rememberedBrowsers.by("account", accountId)];
    },

    async touchRememberedBrowser(id: string, at: DateTime): Promise<boolean> {
      await unit.lockRow(rememberedBrowserRowLock(id));
      const browser = unit.rememberedBrowsers.get(id);
      if (browser === undefined) return false;
      unit.rememberedBrowsers.set(id, { ...browser, lastUsedAt: at });
      return true;
    },

    async deleteRememberedBrowser(id: string): Promise<boolean> {
      const deleted = await unit.deleteLocked(
        unit.rememberedBrowsers,
        [id],
        rememberedBrowserRowLock,
      );
      return deleted.length > 0;
    },

    async deleteRememberedBrowsersOfAccount(accountId: string): Promise<string[]> {
      const browsers = unit.rememberedBrowsers.by("account", accountId);
      const ids = [...browsers].map((browser) => browser.id);
      return unit.deleteLocked(unit.rememberedBrowsers, ids, rememberedBrowserRowLock);
    },
  };
}
