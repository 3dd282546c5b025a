import { spawn } from "node:child_process";
import { DATABASE_URL, serverAvailable } from "@panel-access/test-support/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, migrationSql, migrationStatus, type SqlDriver } from "../src/index.js";
import { testDatabase } from "./database.js";

/**
 * The printed SQL (migrationSql) run by the real `psql`, as a team running
 * its own migration tool would, builds the very schema migrate() builds, and
 * migrate() then finds nothing to do. A real server only (psql needs one);
 * in CI it must be there (serverAvailable throws).
 */
const onServer = await serverAvailable();
const database = onServer ? await testDatabase("server") : null;
const extraSchemas: string[] = [];
afterAll(async () => {
  if (!database) return;
  for (const schema of extraSchemas) {
    await database.driver.transaction((c) => c.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  }
  await database.drop();
});

/** A schema name for this file that afterAll drops. */
function freshSchema(suffix: string): string {
  const schema = `${database?.schema}_${suffix}`;
  extraSchemas.push(schema);
  return schema;
}

/** Runs `script` through `psql` on DATABASE_URL, stopping at the first error; answers its exit code and output. */
function psql(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "psql",
      ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", DATABASE_URL, "-f", "-"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(script);
  });
}

/**
 * What the catalog says of a schema: its relations (with storage options),
 * columns (type, nullability, default, collation), constraints, indexes,
 * functions and triggers with their definitions, and the migrations
 * recorded; the schema's name replaced by `<schema>` so two schemas compare.
 */
async function catalogOf(driver: SqlDriver, schema: string) {
  const snapshot = await driver.transaction(async (c) => {
    const rows = async (sql: string) => (await c.query(sql, [schema])).rows;
    return {
      relations: await rows(`
        SELECT c.relname, c.relkind, c.relpersistence, c.reloptions
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 ORDER BY c.relname`),
      columns: await rows(`
        SELECT c.relname AS table, a.attnum, a.attname AS column,
               format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
               pg_get_expr(d.adbin, d.adrelid) AS default, coll.collname AS collation
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation coll ON coll.oid = a.attcollation
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`),
      constraints: await rows(`
        SELECT c.relname AS table, con.conname, con.contype,
               pg_get_constraintdef(con.oid) AS definition
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = con.connamespace
        WHERE n.nspname = $1 ORDER BY c.relname, con.conname`),
      indexes: await rows(`
        SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = $1 ORDER BY tablename, indexname`),
      functions: await rows(`
        SELECT p.proname, p.prokind, pg_get_function_identity_arguments(p.oid) AS arguments,
               p.prosrc
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 ORDER BY p.proname, arguments`),
      triggers: await rows(`
        SELECT c.relname AS table, t.tgname, pg_get_triggerdef(t.oid) AS definition
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY c.relname, t.tgname`),
      migrations: (
        await c.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`)
      ).rows,
    };
  });
  return JSON.parse(JSON.stringify(snapshot).replaceAll(schema, "<schema>")) as typeof snapshot;
}

describe.runIf(onServer)("AUD-2: the printed migrations (migrationSql) run by psql", () => {
  it("AUD-2: migrationSql() applied with psql builds the schema migrate() builds (tables, columns, constraints, indexes, functions, triggers, schema_migrations); migrate() afterwards applies nothing", async () => {
    if (!database) throw new Error("unreachable: the suite runs on a server only");
    const printed = freshSchema("psql");
    const migrated = freshSchema("migrate");

    const ran = await psql(migrationSql({ schema: printed }));
    expect(ran, ran.stderr).toMatchObject({ code: 0 });
    await migrate(database.driver, { schema: migrated });

    const viaPsql = await catalogOf(database.driver, printed);
    const viaMigrate = await catalogOf(database.driver, migrated);
    // Not two empty catalogs: the schema is there, whole.
    expect(viaMigrate.relations.map((r) => r.relname)).toEqual(
      expect.arrayContaining(["accounts", "mail_outbox", "throttle_counters", "audit_events"]),
    );
    expect(viaMigrate.indexes.length).toBeGreaterThan(10);
    expect(viaMigrate.constraints.length).toBeGreaterThan(20);
    expect(viaMigrate.migrations).toHaveLength(6);
    expect(viaPsql).toEqual(viaMigrate);

    const after = await migrate(database.driver, { schema: printed });
    expect(after.applied).toEqual([]);
    const status = await migrationStatus(database.driver, { schema: printed });
    expect(status.pending).toEqual([]);
    expect(status.applied.map((m) => m.name)).toEqual(viaMigrate.migrations.map((m) => m.name));
  });

  it("AUD-2: migrationSql({ from }) run by psql brings a schema part-way along to where migrate() brings it", async () => {
    if (!database) throw new Error("unreachable: the suite runs on a server only");
    const partway = freshSchema("partway");
    const migrated = freshSchema("whole");
    // Migrations 1 to 3 only: the printed script, cut before 004.
    const [upTo3 = ""] = migrationSql({ schema: partway }).split("\n-- 004_throttle.sql");
    expect(await psql(`${upTo3}\nCOMMIT;\n`)).toMatchObject({ code: 0 });
    expect((await migrationStatus(database.driver, { schema: partway })).pending).toMatchObject([
      { version: 4 },
      { version: 5 },
      { version: 6 },
    ]);

    const rest = await psql(migrationSql({ schema: partway, from: 4 }));
    expect(rest, rest.stderr).toMatchObject({ code: 0 });
    await migrate(database.driver, { schema: migrated });
    expect(await catalogOf(database.driver, partway)).toEqual(
      await catalogOf(database.driver, migrated),
    );
  });

  it("AUD-2: the printed script run twice fails on the second run and changes nothing (one transaction)", async () => {
    if (!database) throw new Error("unreachable: the suite runs on a server only");
    const schema = freshSchema("twice");
    const script = migrationSql({ schema });
    expect(await psql(script)).toMatchObject({ code: 0 });
    const before = await catalogOf(database.driver, schema);
    // psql answers 3 when ON_ERROR_STOP stopped the script (here: a table that exists).
    expect(await psql(script)).toMatchObject({ code: 3 });
    expect(await catalogOf(database.driver, schema)).toEqual(before);
  });
});
