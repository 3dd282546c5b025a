import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { countingDriver, PostgresStore, type SqlDriver } from "../src/index.js";
import { testDatabase } from "./database.js";
import { libraryOver, panelWithAdministrator } from "./support.js";

/**
 * SES-3 on PostgreSQL: what a session check sends to the database, counted
 * with `countingDriver` (round trips: BEGIN and COMMIT included) and read
 * statement by statement.
 */
const kind = await serverOrPglite();
const database = await testDatabase(kind);
afterAll(() => database.drop());

/** Records the SQL of every statement `driver` runs, in a transaction or on its own. */
function recordingDriver(driver: SqlDriver): { driver: SqlDriver; sql: string[] } {
  const sql: string[] = [];
  const { statement } = driver;
  return {
    sql,
    driver: {
      transaction: (work) =>
        driver.transaction((client) =>
          work({
            query: (text, params) => {
              sql.push(text);
              return client.query(text, params);
            },
            exec: (text) => {
              sql.push(text);
              return client.exec(text);
            },
          }),
        ),
      ...(statement && {
        statement: <R>(text: string, params?: readonly unknown[]) => {
          sql.push(text);
          return statement.call(driver, text, params) as Promise<{ rows: R[] }>;
        },
      }),
    },
  };
}

/** A session on a store that counts and records what each check sends. */
async function openedSession() {
  const recording = recordingDriver(database.driver);
  const counting = countingDriver(recording.driver);
  const store = new PostgresStore(counting.driver, { schema: database.schema });
  const { panelAccess, mailer, clock } = libraryOver(store);
  // The administrator of an SSO panel, with a session opened through SSO (no second factor to script).
  const email = `ses3-admin-${Math.random().toString(36).slice(2)}@example.com`;
  const { panelId } = await panelWithAdministrator(panelAccess, mailer, email, {
    ssoEnabled: true,
  });
  const { sessionToken } = (await panelAccess.openSsoSession({ email, panelId }))._unsafeUnwrap();
  const openedAt = clock.now();
  /** One check: its outcome, how many statements it sent, and which of them wrote. */
  const check = async () => {
    counting.reset();
    recording.sql.splice(0);
    const outcome = await panelAccess.validateSession({ sessionToken });
    return {
      ok: outcome.isOk(),
      statements: counting.statements(),
      writes: recording.sql.filter((sql) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql)),
    };
  };
  const lastUse = async () =>
    (
      await store.transact({}, (tx) => tx.findSession(sessionToken.split(".")[0] ?? ""))
    )?.lastUsedAt.toMillis();
  return { check, clock, openedAt, lastUse };
}

describe(`SES-3: session checks on ${kind === "server" ? "a PostgreSQL server" : "PGlite"}`, () => {
  it("SES-3: a check within the interval is one statement (a SELECT outside any transaction) and writes nothing; the first at the interval adds one UPDATE in its own transaction", async () => {
    const { check, clock, openedAt, lastUse } = await openedSession();
    for (const seconds of [0, 10, 30, 59]) {
      clock.set(openedAt.plus({ seconds }));
      expect(await check()).toEqual({ ok: true, statements: 1, writes: [] });
    }
    clock.set(openedAt.plus({ minutes: 1, milliseconds: -1 }));
    expect(await check()).toEqual({ ok: true, statements: 1, writes: [] });
    expect(await lastUse()).toBe(openedAt.toMillis());
    clock.set(openedAt.plus({ minutes: 1 }));
    const recording = await check();
    expect(recording).toMatchObject({ ok: true, statements: 4 }); // + BEGIN, UPDATE, COMMIT
    expect(recording.writes).toHaveLength(1);
    expect(recording.writes[0]).toMatch(/UPDATE .*sessions SET last_used_at/);
    expect(await lastUse()).toBe(clock.now().toMillis());
    // 20 checks in the next minute: none writes.
    for (let i = 1; i <= 20; i++) {
      clock.set(openedAt.plus({ minutes: 1, seconds: 3 * i, milliseconds: -1 }));
      expect(await check()).toEqual({ ok: true, statements: 1, writes: [] });
    }
    expect(await lastUse()).toBe(openedAt.plus({ minutes: 1 }).toMillis());
  });

  it("SES-3: idle expiry counts from the recorded last use: a check within the interval does not extend the session", async () => {
    const { check, clock, openedAt } = await openedSession();
    clock.set(openedAt.plus({ seconds: 59, milliseconds: 999 }));
    expect(await check()).toEqual({ ok: true, statements: 1, writes: [] });
    clock.set(openedAt.plus({ minutes: 30 }));
    expect(await check()).toMatchObject({ ok: false, writes: [] });
  });
});
