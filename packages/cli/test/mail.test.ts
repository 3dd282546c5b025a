import type { Mailer } from "@panel-access/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, OPERATOR, SECRET_PASSWORD, type TestSchema, testSchema } from "./support/world.js";

/** A mail server that refuses everything, as nodemailer reports it. */
const refusingMailer: Mailer = {
  send: () => Promise.reject(Object.assign(new Error("refused"), { code: "EENVELOPE" })),
};

let db: TestSchema;
/** The ids of the failed invitations, oldest first. */
const failed: string[] = [];
let pendingId = "";

beforeAll(async () => {
  db = await testSchema();
  const app = db.app({ mailer: refusingMailer }, { maxAttempts: 1 });
  for (const name of ["One", "Two"]) {
    const created = await app.createPanel({
      actor: { type: "system" },
      name,
      administratorEmail: `admin.${name.toLowerCase()}@example.com`,
    });
    created._unsafeUnwrap();
    expect((await app.dispatchMail())._unsafeUnwrap()).toMatchObject({ failed: 1 });
  }
  const listed = await app.listMail({ actor: { type: "operator", operatorId: "test" } });
  failed.push(...listed._unsafeUnwrap().map((m) => m.messageId));
  (
    await app.createPanel({
      actor: { type: "system" },
      name: "Three",
      administratorEmail: "admin.three@example.com",
    })
  )._unsafeUnwrap();
  const pending = await app.listMail({
    actor: { type: "operator", operatorId: "test" },
    status: "pending",
  });
  pendingId = pending._unsafeUnwrap()[0]?.messageId ?? "";
});
afterAll(() => db.drop());

describe("panel-access mail list and mail retry (MAIL-2, audited as the operator: AUD-2)", () => {
  it("MAIL-2: mail list --failed shows the failed messages oldest first (id, kind, account, attempts, last error), never their content", async () => {
    expect(failed).toHaveLength(2);
    const run = await cli(["mail", "list", "--failed"], db.env);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const [header, ...rows] = run.stdout.trimEnd().split("\n");
    expect(header).toMatch(
      /^id\s+kind\s+account\s+attempts\s+created\s+next attempt\s+last error$/,
    );
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(failed);
    expect(rows[0]).toMatch(/\sinvitation\s+\S+\s+1\s+\d{4}-\d\d-\d\dT\S+\s+-\s+EENVELOPE$/);
    expect(run.stdout).not.toContain("@example.com");
    expect(run.stdout).not.toContain("token");
    expect(await cli(["mail", "list"], db.env)).toEqual(run);
  });

  it("MAIL-2: mail list --limit caps the list, --pending and --sent choose the status, --json writes one object a line", async () => {
    const limited = await cli(["mail", "list", "--failed", "--limit", "1", "--json"], db.env);
    expect(limited.code).toBe(0);
    const objects = limited.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects).toEqual([
      expect.objectContaining({
        messageId: failed[0],
        kind: "invitation",
        status: "failed",
        attempts: 1,
        lastError: "EENVELOPE",
      }),
    ]);
    const pending = await cli(["mail", "list", "--pending", "--json"], db.env);
    expect(JSON.parse(pending.stdout)).toMatchObject({ messageId: pendingId, status: "pending" });
    expect(await cli(["mail", "list", "--sent"], db.env)).toMatchObject({
      code: 0,
      stdout: "no sent messages\n",
    });
  });

  it("INP-1, MAIL-2: mail list with a --limit out of 1..1000, or two statuses, is a usage error (exit 2)", async () => {
    for (const argv of [
      ["mail", "list", "--limit", "0"],
      ["mail", "list", "--limit", "1001"],
      ["mail", "list", "--limit", "ten"],
      ["mail", "list", "--failed", "--pending"],
    ]) {
      const run = await cli(argv, db.env);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
    }
  });

  it("MAIL-2, AUD-2: mail retry re-queues a failed message through retryMail; the trail records mail.requeued by the operator named", async () => {
    const messageId = failed[0] ?? "";
    const run = await cli(["mail", "retry", "--operator", OPERATOR, "--", messageId], db.env);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(
      `re-queued message ${messageId}, as operator ${OPERATOR}: a running dispatcher sends it\n`,
    );
    const pending = await cli(["mail", "list", "--pending", "--json"], db.env);
    expect(pending.stdout).toContain(`"messageId":"${messageId}","kind":"invitation"`);
    expect(pending.stdout).toContain('"attempts":0');
    expect(await db.trail(["mail.requeued"])).toEqual([
      expect.objectContaining({
        type: "mail.requeued",
        messageId,
        actor: { type: "operator", operatorId: OPERATOR },
      }),
    ]);
    expect(run.stdout + run.stderr).not.toContain(SECRET_PASSWORD);
  });

  it("MAIL-2: retrying a message that is not failed (pending, already re-queued, unknown) is refused with MAIL_NOT_FAILED (exit 1) and records nothing", async () => {
    for (const messageId of [failed[0] ?? "", pendingId, "no_such_message"]) {
      const run = await cli(["mail", "retry", "--operator", OPERATOR, "--", messageId], db.env);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        "panel-access: no failed message has this id (it is pending, sent, or unknown); nothing changed (MAIL_NOT_FAILED)\n",
      );
    }
    expect(await db.trail(["mail.requeued"])).toHaveLength(1);
  });

  it("MAIL-2: an id may begin with '-' (ids are random base64url): given after --, it is read as the id, not as an option", async () => {
    const dashed = await cli(
      ["mail", "retry", "--operator", OPERATOR, "--", "-no_such_message"],
      db.env,
    );
    expect(dashed.code).toBe(1);
    expect(dashed.stderr).toContain("(MAIL_NOT_FAILED)");
    const help = await cli(["mail", "retry", "--help"], db.env);
    expect(help.stdout).toContain("An id that begins with '-' goes after --");
  });

  it("INP-1, MAIL-2: mail retry with a malformed id is INVALID_INPUT (exit 2); without --operator a usage error (exit 2); the message stays failed", async () => {
    const messageId = failed[1] ?? "";
    const malformed = await cli(["mail", "retry", "not an id!", "--operator", OPERATOR], db.env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("invalid input (INVALID_INPUT): messageId:");
    const anonymous = await cli(["mail", "retry", "--", messageId], db.env);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain("--operator");
    const stillFailed = await cli(["mail", "list", "--failed", "--json"], db.env);
    expect(stillFailed.stdout).toContain(messageId);
  });
});
