import { DATABASE_URL, serverAvailable } from "@panel-access/test-support/postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore, type SqlDriver } from "../src/index.js";
import { testDatabase } from "./database.js";
import { libraryOver, panelWithAdministrator } from "./support.js";

const onServer = await serverAvailable();
const database = await testDatabase(onServer ? "server" : "pglite");
afterAll(() => database.drop());
const schema = database.schema;

/** A driver whose connection fails on its n-th query inside a transaction, like a dropped connection. */
function failingOn(n: number, driver: SqlDriver): SqlDriver {
  return {
    transaction: (work) =>
      driver.transaction((client) => {
        let count = 0;
        const fail = () => {
          count++;
          if (count === n) throw new Error(`connection lost at query ${n}`);
        };
        return work({
          query: async (sql, params) => {
            fail();
            return client.query(sql, params);
          },
          exec: async (sql) => {
            fail();
            return client.exec(sql);
          },
        });
      }),
  };
}

async function accountExists(email: string): Promise<boolean> {
  const { rows } = await database.driver.transaction((c) =>
    c.query(`SELECT 1 FROM "${schema}".accounts WHERE email = $1`, [email]),
  );
  return rows.length > 0;
}

describe(`faults (${database.kind})`, () => {
  it("INP-1, MAIL-2: a connection failing at any query of a use case leaves nothing half-done and answers STORAGE_FAILED", async () => {
    const { panelAccess, mailer } = libraryOver(new PostgresStore(database.driver, { schema }));
    const { panelId, actor } = await panelWithAdministrator(
      panelAccess,
      mailer,
      "fault-admin@example.com",
    );
    // addMember of a new e-mail: locks, reads, then account, membership, link and outbox writes.
    for (let n = 1; n <= 14; n++) {
      const failing = libraryOver(new PostgresStore(failingOn(n, database.driver), { schema }));
      const email = `person-${n}@example.com`;
      const result = await failing.panelAccess.addMember({
        actor,
        panelId,
        email,
        role: "analyst",
        access: { type: "permanent" },
      });
      if (result.isOk()) {
        // The use case ran fewer than n queries: it completed whole.
        expect(await accountExists(email)).toBe(true);
        expect(n).toBeGreaterThan(5);
        expect(failing.mailer.to(email, "invitation")).toHaveLength(1); // MAIL-2: queued and sent
        continue;
      }
      expect(result.error).toMatchObject({
        type: "STORAGE_FAILED",
        cause: new Error(`connection lost at query ${n}`),
      });
      expect(await accountExists(email)).toBe(false);
      expect(failing.mailer.sent).toHaveLength(0);
    }
  });

  it.runIf(onServer)(
    "INP-1: a backend terminated in the middle of a use case (after its first write) leaves nothing and answers STORAGE_FAILED",
    async () => {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
      const { panelAccess, mailer } = libraryOver(new PostgresStore(database.driver, { schema }));
      const { panelId, actor } = await panelWithAdministrator(
        panelAccess,
        mailer,
        "kill-admin@example.com",
      );
      const holder = new pg.Client({ connectionString: DATABASE_URL });
      await holder.connect();
      try {
        // Hold the panel row: the membership insert's foreign-key check will wait on it,
        // after the use case has already inserted the account.
        await holder.query("BEGIN");
        await holder.query(`SELECT id FROM "${schema}".panels WHERE id = $1 FOR UPDATE`, [panelId]);
        const email = "killed@example.com";
        const running = panelAccess.addMember({
          actor,
          panelId,
          email,
          role: "analyst",
          access: { type: "permanent" },
        });
        let pid: number | undefined;
        for (let attempt = 0; attempt < 10_000 && pid === undefined; attempt++) {
          const { rows } = await pool.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
            [`%INSERT INTO "${schema}".memberships%`],
          );
          pid = rows[0]?.pid;
        }
        expect(pid).toBeDefined();
        await pool.query("SELECT pg_terminate_backend($1)", [pid]);
        const result = await running;
        expect(result._unsafeUnwrapErr().type).toBe("STORAGE_FAILED");
        await holder.query("ROLLBACK");
        expect(await accountExists(email)).toBe(false);
        expect(mailer.to(email)).toHaveLength(0);
        // The library goes on working on the same pool.
        const retry = await panelAccess.addMember({
          actor,
          panelId,
          email,
          role: "analyst",
          access: { type: "permanent" },
        });
        expect(retry.isOk()).toBe(true);
      } finally {
        await holder.end();
        await pool.end();
      }
    },
  );
});
