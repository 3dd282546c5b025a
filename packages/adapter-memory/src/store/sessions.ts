import type { SessionRecord, SessionsTx, SessionTouch } from "@panel-access/core";
import type { DateTime } from "luxon";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** The row lock of a session: taken by the writes that may race (touch, delete). */
export const sessionRowLock = (id: string) => `session:${id}`;

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

    async touchSession(id: string, at: DateTime, ifUsedBy: DateTime): Promise<SessionTouch> {
      // SES-3: the guarded UPDATE's row lock, so concurrent touches see each
      // other's write and a concurrent delete is not undone by this commit
      // (once the delete has committed, the row is gone when read here).
      await unit.lockRow(sessionRowLock(id));
      const session = unit.sessions.get(id);
      if (session === undefined) return "gone";
      if (session.lastUsedAt.toMillis() > ifUsedBy.toMillis()) return "alreadyRecent";
      unit.sessions.set(id, { ...session, lastUsedAt: at });
      return "touched";
    },

    async deleteSession(id: string): Promise<boolean> {
      return (await unit.deleteLocked(unit.sessions, [id], sessionRowLock)).length > 0;
    },

    async deleteSessionsOfAccount(accountId: string): Promise<string[]> {
      const ids = [...unit.sessions.by("account", accountId)].map((session) => session.id);
      return unit.deleteLocked(unit.sessions, ids, sessionRowLock);
    },
  };
}
