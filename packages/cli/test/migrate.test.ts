import { migrationSql } from "@panel-access/adapter-postgres";
import { DATABASE_URL } from "@panel-access/test-support/postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  cli,
  DATABASE_URL_WITH_PASSWORD,
  freshSchemaName,
  logLines,
  OPERATOR,
  SECRET_PASSWORD,
} from "./support/world.js";

const schema = freshSchemaName();
const env = { DATABASE_URL: DATABASE_URL_WITH_PASSWORD, PANEL_ACCESS_SCHEMA: schema };
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

/** The schema's tables, sorted. */
async function tables(): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
    [schema],
  );
  return rows.map((row) => row.table_name);
}

describe("panel-access migrate and status (the schema that holds the durable trail, AUD-2)", () => {
  it("AUD-2: migrate --print-sql prints the schema's SQL for PANEL_ACCESS_SCHEMA with no database and no other variable; --from starts later", async () => {
    const printed = await cli(["migrate", "--print-sql"], { PANEL_ACCESS_SCHEMA: schema });
    expect(printed).toMatchObject({ code: 0, stderr: "" });
    expect(printed.stdout).toBe(migrationSql({ schema }));
    expect(printed.stdout).toContain(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const defaultSchema = await cli(["migrate", "--print-sql"]);
    expect(defaultSchema.stdout).toBe(migrationSql({ schema: "panel_access" }));
    const later = await cli(["migrate", "--print-sql", "--from", "5"]);
    expect(later.stdout).toBe(migrationSql({ schema: "panel_access", from: 5 }));
    expect(later.stdout).not.toContain("001_initial");
    expect(await tables()).toEqual([]);
  });

  it("AUD-2: status on a schema never migrated lists every migration pending and exits 5; it creates nothing", async () => {
    const status = await cli(["status"], env);
    expect(status.code).toBe(5);
    expect(status.stdout).toMatch(/^pending {2}001_initial\.sql$/m);
    expect(status.stdout).toMatch(new RegExp(`schema ${schema}: 0 applied, \\d+ pending`));
    expect(await tables()).toEqual([]);
  });

  it("AUD-2: migrate applies every migration, prints each, and logs them to stderr as the operator; status then exits 0; a second migrate applies nothing", async () => {
    const migrated = await cli(["migrate", "--operator", OPERATOR], env);
    expect(migrated.code).toBe(0);
    const applied = migrated.stdout.match(/^applied \S+\.sql \(version \d+\) in \d+ ms$/gm) ?? [];
    expect(applied.length).toBeGreaterThanOrEqual(6);
    expect(migrated.stdout).toContain("applied 005_audit.sql (version 5)");
    expect(await tables()).toEqual(expect.arrayContaining(["audit_events", "mail_outbox"]));
    const lines = logLines(migrated.stderr);
    expect(lines.filter((line) => line.msg === "migration applied")).toHaveLength(applied.length);
    expect(lines.at(-1)).toMatchObject({
      level: "info",
      msg: "migrations done",
      applied: applied.length,
      command: "migrate",
      operator: OPERATOR,
    });
    expect(lines.every((line) => line.operator === OPERATOR)).toBe(true);

    const status = await cli(["status"], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^applied {2}001_initial\.sql {2}\d{4}-\d\d-\d\dT/m);
    expect(status.stdout).toContain(`schema ${schema}: ${applied.length} applied, 0 pending`);

    const again = await cli(["migrate", "--operator", OPERATOR], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`schema ${schema} is up to date: nothing to apply\n`);
    expect(logLines(again.stderr)).toEqual([
      expect.objectContaining({ msg: "migrations done", applied: 0, operator: OPERATOR }),
    ]);
    for (const run of [migrated, status, again]) {
      expect(run.stdout + run.stderr).not.toContain(SECRET_PASSWORD);
    }
  });

  it("INP-1, AUD-2: migrate without --operator, or --from without --print-sql, is a usage error (exit 2) and changes nothing", async () => {
    const other = { ...env, PANEL_ACCESS_SCHEMA: freshSchemaName() };
    const anonymous = await cli(["migrate"], other);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain("--operator");
    const from = await cli(["migrate", "--from", "2", "--operator", OPERATOR], other);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain("--from goes with --print-sql");
    expect((await cli(["status"], other)).code).toBe(5);
  });

  it("INP-1: an invalid PANEL_ACCESS_SCHEMA is a configuration error (exit 3) naming the variable, for --print-sql too", async () => {
    for (const argv of [
      ["migrate", "--print-sql"],
      ["status"],
      ["migrate", "--operator", OPERATOR],
    ]) {
      const run = await cli(argv, { ...env, PANEL_ACCESS_SCHEMA: 'x"; DROP TABLE y; --' });
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(
        "panel-access: configuration: PANEL_ACCESS_SCHEMA: a schema name",
      );
    }
  });
});
