import { readdir } from "node:fs/promises";
import { RecordingLogger } from "@panel-access/core/testing";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "../src/index.js";
import { testDatabase } from "./database.js";

const database = await testDatabase(await serverOrPglite());
/** The migrations the package ships, as `schema_migrations` records them. */
const shipped = (await readdir(new URL("../migrations/", import.meta.url)))
  .filter((name) => name.endsWith(".sql"))
  .sort()
  .map((name) => ({ version: Number(name.slice(0, 3)), name }));
afterAll(() => database.drop());

describe(`migrations (${database.kind})`, () => {
  it("migrate() is idempotent and records what ran", async () => {
    expect(await migrate(database.driver, { schema: database.schema })).toEqual([]);
    const { rows } = await database.driver.transaction((c) =>
      c.query<{ version: number; name: string }>(
        `SELECT version, name FROM "${database.schema}".schema_migrations ORDER BY version`,
      ),
    );
    expect(shipped.map((m) => m.name)).toContain("004_throttle.sql");
    expect(rows).toEqual(shipped);
  });

  it("two instances migrating a fresh schema at once: one applies, the other finds it done", async () => {
    const schema = `${database.schema}_twin`;
    const other = database.newPool().driver;
    const results = await Promise.all([
      migrate(database.driver, { schema }),
      migrate(other, { schema }),
    ]);
    expect(results.map((r) => r.length).sort()).toEqual([0, shipped.length]);
    await database.driver.transaction((c) => c.exec(`DROP SCHEMA "${schema}" CASCADE`));
  });

  it("AUD-2: migrate() logs each migration it applies (version, name, duration in ms) and then how many, at info; a second run logs none applied", async () => {
    const schema = `${database.schema}_logged`;
    const logger = new RecordingLogger();
    expect(await migrate(database.driver, { schema, logger })).toHaveLength(shipped.length);
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
    const again = new RecordingLogger();
    expect(await migrate(database.driver, { schema, logger: again })).toEqual([]);
    expect(again.lines).toMatchObject([{ message: "migrations done", fields: { applied: 0 } }]);
    await database.driver.transaction((c) => c.exec(`DROP SCHEMA "${schema}" CASCADE`));
  });

  it("a schema name that is not a plain identifier is refused before any SQL runs", async () => {
    await expect(migrate(database.driver, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(
      "invalid schema name",
    );
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
