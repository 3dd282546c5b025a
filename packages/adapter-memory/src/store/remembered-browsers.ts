import type { RememberedBrowserRecord, RememberedBrowsersTx } from "@panel-access/core";
import type { DateTime } from "luxon";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

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
      const browser = unit.rememberedBrowsers.get(id);
      if (browser === undefined) return false;
      unit.rememberedBrowsers.set(id, { ...browser, lastUsedAt: at });
      return true;
    },

    async deleteRememberedBrowser(id: string): Promise<boolean> {
      const existed = unit.rememberedBrowsers.has(id);
      unit.rememberedBrowsers.delete(id);
      return existed;
    },

    async deleteRememberedBrowsersOfAccount(accountId: string): Promise<string[]> {
      const ids = [...unit.rememberedBrowsers.by("account", accountId)].map(
        (browser) => browser.id,
      );
      for (const id of ids) unit.rememberedBrowsers.delete(id);
      return ids;
    },
  };
}
