import { aLink, anAccount, anAuditEvent, aSession, plain } from "@panel-access/core/testing";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { countingDriver, PostgresStore } from "../src/index.js";
import { advisoryKeySql } from "../src/postgres-store.js";
import { writeBatch } from "../src/store/write-batch.js";
import { testDatabase } from "./database.js";

/**
 * A unit of work's INSERTs are queued and sent together (one statement)
 * before its next statement or its COMMIT: what that must not change.
 */
const kind = await serverOrPglite();
const database = await testDatabase(kind);
afterAll(() => database.drop());
const counting = countingDriver(database.driver);
const store = new PostgresStore(counting.driver, { schema: database.schema });

async function anAccountStored() {
  const account = anAccount();
  await store.transact({}, (tx) => tx.createAccount(account));
  return account;
}

describe(`queued INSERTs on ${kind === "server" ? "a PostgreSQL server" : "PGlite"}`, () => {
  it("ACC-8, AUD-2: a session, a link and audit events written together go in one statement, and all commit", async () => {
    const account = await anAccountStored();
    const session = aSession(account.id);
    const link = aLink(account.id);
    const event = anAuditEvent("no-such-panel", { accountId: account.id });
    counting.reset();
    await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.createSession(session);
      await tx.createLink(link);
      await tx.appendAuditEvents([event]);
    });
    expect(counting.statements()).toBe(3); // BEGIN with its lock, the INSERTs, COMMIT
    await store.transact({}, async (tx) => {
      expect(plain(await tx.findSession(session.id))).toEqual(plain(session));
      expect(plain(await tx.findLink(link.id))).toEqual(plain(link));
      expect(await tx.listAuditEvents({ accountId: account.id, limit: 5 })).toHaveLength(1);
    });
  });

  it("ACC-8: a read after a queued INSERT in the same unit of work sees it", async () => {
    const account = await anAccountStored();
    const session = aSession(account.id);
    await store.transact({}, async (tx) => {
      await tx.createSession(session);
      expect(plain(await tx.findSession(session.id))).toEqual(plain(session));
    });
  });

  it("INP-1: a queued INSERT that fails (a taken id) fails the unit of work, and none of its writes stays", async () => {
    const account = await anAccountStored();
    const taken = aSession(account.id);
    await store.transact({}, (tx) => tx.createSession(taken));
    const link = aLink(account.id);
    const run = store.transact({}, async (tx) => {
      await tx.createLink(link);
      await tx.createSession({ ...taken, secretHash: "ef".repeat(32) });
    });
    await expect(run).rejects.toThrow();
    await store.transact({}, async (tx) => {
      expect(await tx.findLink(link.id)).toBeNull();
      expect((await tx.findSession(taken.id))?.secretHash).toBe(taken.secretHash);
    });
  });
});

describe(`advisory lock keys on ${kind === "server" ? "a PostgreSQL server" : "PGlite"}`, () => {
  it("LCK-7: the key sent with the BEGIN (its text in hex) is the hashtextextended of the same text that a bound parameter gives, for e-mails with quotes, backslashes and non-ASCII letters", async () => {
    const keys = [
      `"${database.schema}":account:o'brien@example.com`,
      `"${database.schema}":account:back\\slash@example.com`,
      `"${database.schema}":account:zoë.ångström@example.com`,
      `"${database.schema}":panel:pnl_123`,
    ];
    for (const key of keys) {
      const { rows } = await database.driver.transaction((client) =>
        client.query<{ same: boolean }>(
          `SELECT hashtextextended($1, 0) = ${advisoryKeySql(key)} AS same`,
          [key],
        ),
      );
      expect(rows[0]?.same).toBe(true);
    }
  });

  it("INP-1: a queued statement with quoted text or a $ that is not a parameter is refused, not renumbered", () => {
    const batch = writeBatch({ query: async () => ({ rows: [] }), exec: async () => {} });
    expect(() => batch.defer("INSERT INTO t (a) VALUES ('$1')", [])).toThrow();
    expect(() => batch.defer("INSERT INTO t (a) VALUES ($$x$$)", [])).toThrow();
    expect(() => batch.defer("INSERT INTO t (a, b) VALUES ($1, $2)", [1, 2])).not.toThrow();
  });
});
