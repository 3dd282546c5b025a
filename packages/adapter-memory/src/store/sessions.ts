import type { SessionRecord, SessionsTx } from "@panel-access/core";
import type { DateTime } from "luxon";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** Sessions, unique by id, of an account that exists. */
export function sessionsTx(unit: UnitOfWork): SessionsTx {
  return {
    async createSession(session: SessionRecord): Promise<void> {
      if (unit.sessions.has(session.id))
        throw new MemoryConstraintError("session id already exists");
      if (!unit.accounts.has(session.accountId))
        throw new MemoryConstraintError("session of an unknown account");
      unit.sessions.set(session.id, session);
    },

    async findSession(id: string): Promise<SessionRecord | null> {
      return unit.sessions.get(id) ?? null;
    },

    async touchSession(id: string, at: DateTime): Promise<boolean> {
      const session = unit.sessions.get(id);
      if (session === undefined) return false;
      unit.sessions.set(id, { ...session, lastUsedAt: at });
      return true;
    },

    async deleteSession(id: string): Promise<boolean> {
      const existed = unit.sessions.has(id);
      unit.sessions.delete(id);
      return existed;
    },

    async deleteSessionsOfAccount(accountId: string): Promise<string[]> {
      const ids = [...unit.sessions.by("account", accountId)].map((session) => session.id);
      for (const id of ids) unit.sessions.delete(id);
      return ids;
    },
  };
}
