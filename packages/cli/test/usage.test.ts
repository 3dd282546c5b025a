import { describe, expect, it } from "vitest";
import { cli, OPERATOR, SECRET_PASSWORD } from "./support/world.js";

/** Every command, as typed, with the arguments it needs to get past usage. */
const COMMANDS: readonly (readonly string[])[] = [
  ["migrate", "--operator", OPERATOR],
  ["status"],
  ["unblock", "person@example.com", "--operator", OPERATOR],
  ["mail", "list", "--failed"],
  ["mail", "retry", "msg_1", "--operator", OPERATOR],
  ["cleanup", "--operator", OPERATOR],
  ["dispatch", "--operator", OPERATOR],
];

describe("panel-access: help, usage and configuration (INP-1: bad input is answered, nothing runs)", () => {
  it("INP-1: --help on the program and on every command prints its usage, the environment it reads and exits 0", async () => {
    const root = await cli(["--help"]);
    expect(root.code).toBe(0);
    expect(root.stdout).toContain("Usage: panel-access [options] [command]");
    expect(root.stdout).toContain("Exit codes:");
    for (const command of [
      ...COMMANDS.map((argv) => argv.slice(0, argv[0] === "mail" ? 2 : 1)),
      ["mail"],
    ]) {
      const help = await cli([...command, "--help"]);
      expect(help.code, command.join(" ")).toBe(0);
      expect(help.stdout).toContain(`Usage: panel-access ${command.join(" ")}`);
      expect(help.stderr).toBe("");
      if (command[0] !== "mail" || command.length > 1) {
        expect(help.stdout, command.join(" ")).toContain("DATABASE_URL");
      }
    }
    expect((await cli(["dispatch", "--help"])).stdout).toContain("PANEL_ACCESS_ENCRYPTION_KEYS");
    expect((await cli(["cleanup", "--help"])).stdout).toContain(
      "PANEL_ACCESS_AUDIT_RETENTION_DAYS",
    );
    expect((await cli(["help", "unblock"])).stdout).toContain("Usage: panel-access unblock");
  });

  it("INP-1: --version prints the package's version and exits 0", async () => {
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });

  it("INP-1: no command, an unknown command or option, a missing argument or an extra one is a usage error (exit 2) with a hint", async () => {
    for (const argv of [
      [],
      ["mail"],
      ["migrat"],
      ["status", "--verbose"],
      ["unblock", "--operator", OPERATOR],
      ["status", "extra"],
      ["mail", "retry", "--operator", OPERATOR],
    ]) {
      const run = await cli(argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.length).toBeGreaterThan(0);
    }
    expect((await cli(["migrat"])).stderr).toContain("(add --help for usage)");
  });

  it("INP-1: every command that reaches the database, run without DATABASE_URL, exits 3 naming it; a URL that is not postgres:// too", async () => {
    for (const argv of COMMANDS) {
      const run = await cli(argv, {});
      expect(run.code, argv.join(" ")).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("panel-access: configuration: DATABASE_URL: required");
    }
    const mysql = await cli(["status"], { DATABASE_URL: `mysql://root:${SECRET_PASSWORD}@db/app` });
    expect(mysql.code).toBe(3);
    expect(mysql.stderr).toContain("DATABASE_URL: a postgres:// or postgresql:// URL");
    expect(mysql.stderr).not.toContain(SECRET_PASSWORD);
  });

  it("INP-1: every command that reaches the database exits 4 when it is unreachable, naming host, port and database, never the password", async () => {
    const env = {
      DATABASE_URL: `postgresql://operator:${SECRET_PASSWORD}@127.0.0.1:1/app?sslmode=disable`,
      PANEL_ACCESS_AUDIT_RETENTION_DAYS: "365",
      PANEL_ACCESS_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString("base64")}`,
      PANEL_ACCESS_MAIL_FROM: "no-reply@acme.example",
      PANEL_ACCESS_SMTP_HOST: "127.0.0.1",
    };
    for (const argv of COMMANDS) {
      const run = await cli(argv, env);
      expect(run.code, argv.join(" ")).toBe(4);
      expect(run.stderr).toBe(
        "panel-access: the database at 127.0.0.1:1/app is unreachable (ECONNREFUSED)\n",
      );
      expect(run.stdout).toBe("");
    }
  });

  it("INP-1: a password with an unencoded '/' in DATABASE_URL is never printed: the URL then parses with the secret in its path, so messages name no part of it", async () => {
    const run = await cli(["status"], {
      DATABASE_URL: "postgres://postgres:1234/S3cretPart@127.0.0.1:5432/test",
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /^panel-access: the database at \(the database in DATABASE_URL\) is unreachable \([A-Z_]+\)\n$/,
    );
    expect(run.stdout + run.stderr).not.toContain("S3cret");
    expect(run.stdout + run.stderr).not.toContain("1234");
  });

  it("INP-1, AUD-2: an operator's name with an invisible format character, a control character or a lone surrogate is a usage error (exit 2): 'jane' and 'jane\\u200b' never stand apart in the trail", async () => {
    const refused = [
      "jane\u200b", // zero-width space
      "jane\u200f", // right-to-left mark
      "\u061cjane", // Arabic letter mark
      "ja\u00adne", // soft hyphen
      "ja\u202ene", // right-to-left override
      "ja\ufeffne", // zero-width no-break space
      "jane\ud800", // lone high surrogate
      "\udc00jane", // lone low surrogate
      "ja\u0007ne", // control character
      "ja\u2028ne", // line separator
    ];
    for (const name of refused) {
      const run = await cli(["unblock", "person@example.com", "--operator", name], {});
      expect(run.code, JSON.stringify(name)).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("no control or invisible format characters, well-formed text");
    }
    for (const argv of COMMANDS.filter((command) => command.includes("--operator"))) {
      const run = await cli(
        argv.map((arg) => (arg === OPERATOR ? "jane\u200b" : arg)),
        {},
      );
      expect(run.code, argv.join(" ")).toBe(2);
    }
    // Accepted names get past usage: without DATABASE_URL they stop at configuration (3).
    for (const name of ["jane", "Zoë Ångström", "李雷", "ops 🚀", "  jane  "]) {
      const run = await cli(["unblock", "person@example.com", "--operator", name], {});
      expect(run.code, name).toBe(3);
    }
  });
});
