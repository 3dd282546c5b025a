import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, OPERATOR, SECRET_PASSWORD, type TestSchema, testSchema } from "./support/world.js";

const PERSON = "blocked.person@example.com";
let db: TestSchema;

beforeAll(async () => {
  db = await testSchema();
});
afterAll(() => db.drop());

/** An account for `email` (the first administrator of a new panel), then permanently blocked (LCK-5). */
async function blockedAccount(email: string): Promise<string> {
  const created = await db.app().createPanel({
    actor: { type: "system" },
    name: "Acme",
    administratorEmail: email,
  });
  const accountId = created._unsafeUnwrap().administrator.accountId;
  await db.store.transact({ accounts: [email] }, async (tx) => {
    const account = await tx.findAccountByEmail(email);
    if (account === null) throw new Error("the account was just created");
    const at = account.createdAt.plus({ minutes: 5 });
    await tx.updateAccount({
      ...account,
      lockout: { consecutiveFailures: 6, consecutiveLocks: 3, lockedAt: at, blockedAt: at },
    });
  });
  return accountId;
}

/** The ids of the outbox's pending messages. */
async function queuedMail(): Promise<string[]> {
  const listed = await db.app().listMail({
    actor: { type: "operator", operatorId: "test" },
    status: "pending",
    limit: 1000,
  });
  return listed._unsafeUnwrap().map((message) => message.messageId);
}

/** The account's status, as the support team sees it. */
async function statusOf(email: string): Promise<string> {
  const view = await db.app().getAccountStatus({
    actor: { type: "operator", operatorId: "test" },
    email,
  });
  return view._unsafeUnwrap().status;
}

describe("panel-access unblock (LCK-5, audited as the operator: AUD-2)", () => {
  it("LCK-5, AUD-2: unblock lifts a permanent block through unblockAccount; the trail records account.unblocked by the operator named", async () => {
    const accountId = await blockedAccount(PERSON);
    expect(await statusOf(PERSON)).toBe("permanentlyBlocked");
    const queuedBefore = await queuedMail();
    const run = await cli(
      ["unblock", "  Blocked.Person@Example.com ", "--operator", OPERATOR],
      db.env,
    );
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(
      `unblocked account ${accountId}, as operator ${OPERATOR}: it starts afresh (no lock, no failures)\n`,
    );
    expect(await statusOf(PERSON)).not.toBe("permanentlyBlocked");
    expect(await db.trail(["account.unblocked"])).toEqual([
      expect.objectContaining({
        type: "account.unblocked",
        accountId,
        actor: { type: "operator", operatorId: OPERATOR },
      }),
    ]);
    expect(run.stdout + run.stderr).not.toContain(SECRET_PASSWORD);
    // The CLI's library seals with a key of its own: a message it queued could never be opened.
    expect(await queuedMail()).toEqual(queuedBefore);
  });

  it("LCK-5: unblocking an account that is not blocked is refused with NOT_BLOCKED (exit 1) and records nothing", async () => {
    const run = await cli(["unblock", PERSON, "--operator", OPERATOR], db.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "panel-access: the account is not permanently blocked; nothing changed (NOT_BLOCKED)\n",
    );
    expect(await db.trail(["account.unblocked"])).toHaveLength(1);
  });

  it("LCK-5: an e-mail no account has is refused with ACCOUNT_NOT_FOUND (exit 1)", async () => {
    const run = await cli(["unblock", "nobody@example.com", "--operator", OPERATOR], db.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("(ACCOUNT_NOT_FOUND)");
  });

  it("INP-1, LCK-5: a malformed e-mail is the library's INVALID_INPUT (exit 2); a missing or blank --operator is a usage error (exit 2); the block stays", async () => {
    const email = "still.blocked@example.com";
    await blockedAccount(email);
    const malformed = await cli(["unblock", "not-an-email", "--operator", OPERATOR], db.env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("invalid input (INVALID_INPUT): email:");
    const anonymous = await cli(["unblock", email], db.env);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain("required option '--operator <name>' not specified");
    const blank = await cli(["unblock", email, "--operator", "  "], db.env);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain("the operator's name: 1 to 128 characters");
    const control = await cli(["unblock", email, "--operator", "jane\nroot"], db.env);
    expect(control.code).toBe(2);
    expect(await statusOf(email)).toBe("permanentlyBlocked");
  });
});
