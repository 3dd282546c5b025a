import { RecordingLogger } from "@panel-access/core/testing";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, migrationSql, migrationStatus } from "../src/index.js";
import { testDatabase } from "./database.js";

const database = await testDatabase(await serverOrPglite());
/**
 * The migrations the package ships, as `schema_migrations` records them: the
 * names of the .sql files they were, which databases already hold, so they
 * never change.
 */
const shipped = [
  { version: 1, name: "001_initial.sql" },
  { version: 2, name: "002_mail_outbox.sql" },
  { version: 3, name: "003_security_notices.sql" },
  { version: 4, name: "004_throttle.sql" },
  { version: 5, name: "005_audit.sql" },
  { version: 6, name: "006_audit_by_type.sql" },
];
/** Runs `sql` on the test database. */
const run = (sql: string) => database.driver.transaction((c) => c.exec(sql));
afterAll(() => database.drop());

describe(`migrations (${database.kind})`, () => {
  it("migrate() is idempotent and records what ran", async () => {
    expect(await migrate(database.driver, { schema: database.schema })).toMatchObject({
      applied: [],
    });
    const { rows } = await database.driver.transaction((c) =>
      c.query<{ version: number; name: string }>(
        `SELECT version, name FROM "${database.schema}".schema_migrations ORDER BY version`,
      ),
    );
    expect(rows).toEqual(shipped);
  });

  it("two instances migrating a fresh schema at once: one applies, the other finds it done", async () => {
    const schema = `${database.schema}_twin`;
    const other = database.newPool().driver;
    const results = await Promise.all([
      migrate(database.driver, { schema }),
      migrate(other, { schema }),
    ]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, shipped.length]);
    await run(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it("AUD-2: migrate() logs each migration it applies (version, name, duration in ms) and then how many, at info; a second run logs none applied", async () => {
    const schema = `${database.schema}_logged`;
    const logger = new RecordingLogger();
    const report = await migrate(database.driver, { schema, logger });
    const applied = logger.withMessage("migration applied");
    expect(
      applied.map((line) => ({ version: line.fields.version, name: line.fields.name })),
    ).toEqual(shipped);
    expect(
      applied.every((line) => line.level === "info" && Number(line.fields.durationMs) >= 0),
    ).toBe(true);
    expect(logger.withMessage("migrations done")).toMatchObject([
      { level: "info", fields: { applied: shipped.length } },
    ]);
    // The report says what the log says.
    expect(applied.map((line) => line.fields)).toEqual(report.applied);
    expect(logger.withMessage("migrations done")[0]?.fields.durationMs).toBe(report.durationMs);
    const again = new RecordingLogger();
    expect((await migrate(database.driver, { schema, logger: again })).applied).toEqual([]);
    expect(again.lines).toMatchObject([{ message: "migrations done", fields: { applied: 0 } }]);
    await run(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it("AUD-2: migrate() answers a report: each migration it applied, in order, with its duration in whole ms, and the whole run's; nothing when up to date", async () => {
    const schema = `${database.schema}_report`;
    const report = await migrate(database.driver, { schema });
    expect(report.applied.map(({ version, name }) => ({ version, name }))).toEqual(shipped);
    for (const { durationMs } of report.applied) {
      expect(Number.isInteger(durationMs) && durationMs >= 0).toBe(true);
    }
    const sum = report.applied.reduce((total, m) => total + m.durationMs, 0);
    // Each is rounded on its own: the whole is at least their sum, less the rounding.
    expect(report.durationMs).toBeGreaterThanOrEqual(sum - shipped.length);
    const again = await migrate(database.driver, { schema });
    expect(again.applied).toEqual([]);
    expect(Number.isInteger(again.durationMs) && again.durationMs >= 0).toBe(true);
    await run(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it("AUD-2: migrationStatus() on a schema that does not exist: every migration pending, nothing created", async () => {
    const schema = `${database.schema}_absent`;
    expect(await migrationStatus(database.driver, { schema })).toEqual({
      applied: [],
      pending: shipped,
    });
    const { rows } = await database.driver.transaction((c) =>
      c.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]),
    );
    expect(rows).toEqual([]);
  });

  it("AUD-2: migrationStatus() on a schema without schema_migrations: every migration pending", async () => {
    const schema = `${database.schema}_bare`;
    await run(`CREATE SCHEMA "${schema}"`);
    expect(await migrationStatus(database.driver, { schema })).toEqual({
      applied: [],
      pending: shipped,
    });
    await run(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it("AUD-2: migrationStatus() after migrate(): every migration applied, with its date, none pending; part-way, the rest pending", async () => {
    const status = await migrationStatus(database.driver, { schema: database.schema });
    expect(status.pending).toEqual([]);
    expect(status.applied.map(({ version, name }) => ({ version, name }))).toEqual(shipped);
    for (const { appliedAt } of status.applied) {
      expect(appliedAt).toBeInstanceOf(Date);
      expect(Number.isNaN(appliedAt.getTime())).toBe(false);
    }
    // Part-way: the script up to 003 only (the rest cut off), then the status.
    const schema = `${database.schema}_partway`;
    const [upTo3 = ""] = migrationSql({ schema }).split("\n-- 004_throttle.sql");
    await run(upTo3.replace(/^BEGIN;$/m, "")); // run() has its transaction
    expect(await migrationStatus(database.driver, { schema })).toMatchObject({
      applied: shipped.slice(0, 3),
      pending: shipped.slice(3),
    });
    expect((await migrate(database.driver, { schema })).applied.map((m) => m.version)).toEqual([
      4, 5, 6,
    ]);
    await run(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it("a schema name that is not a plain identifier is refused before any SQL runs", async () => {
    const schema = 'x"; DROP TABLE y; --';
    await expect(migrate(database.driver, { schema })).rejects.toThrow("invalid schema name");
    await expect(migrationStatus(database.driver, { schema })).rejects.toThrow(
      "invalid schema name",
    );
    expect(() => migrationSql({ schema })).toThrow("invalid schema name");
  });

  it("AUD-2: migrationSql() refuses a from that is not an integer of at least 1 (RangeError); from leaves out the versions below it", () => {
    for (const from of [0, -1, 1.5, Number.NaN]) {
      expect(() => migrationSql({ from })).toThrow(RangeError);
    }
    const script = migrationSql({ from: 5 });
    expect(script).not.toContain("004_throttle.sql");
    expect(script).toContain("-- 005_audit.sql");
    expect(script).toContain("-- 006_audit_by_type.sql");
    expect(migrationSql({ from: 7 })).not.toContain("INSERT INTO");
  });

  it("the database holds the invariants it can: registration needs a password, e-mails are lower-case, throttle counters are never negative", async () => {
    const s = `"${database.schema}"`;
    const insert = (sql: string) => database.driver.transaction((c) => c.exec(sql));
    await expect(
      insert(
        `INSERT INTO ${s}.accounts (id, email, created_at, registered_at) VALUES ('a', 'a@x.test', now(), now())`,
      ),
    ).rejects.toThrow();
    await expect(
      insert(`INSERT INTO ${s}.accounts (id, email, created_at) VALUES ('b', 'B@x.test', now())`),
    ).rejects.toThrow();
    // LCK-9: a throttle counter is never negative nor NaN, and its half-life is positive
    for (const [value, halfLife] of [
      ["-1", "1000"],
      ["'NaN'", "1000"],
      ["1", "0"],
    ]) {
      await expect(
        insert(
          `INSERT INTO ${s}.throttle_counters (key, value, half_life_ms, updated_at) VALUES ('k', ${value}, ${halfLife}, now())`,
        ),
      ).rejects.toThrow();
    }
    await insert(
      `INSERT INTO ${s}.throttle_counters (key, value, half_life_ms, updated_at) VALUES ('k', 0, 1000, now())`,
    );
  });
});
