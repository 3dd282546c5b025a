import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, statusIn, worldWithPanel } from "../../support/world.js";

const ADDRESS = "203.0.113.7";
const SPRAYED = "Summer2026!summer";

describe("throttling before any check (LCK-9)", () => {
  it("LCK-9: one password sprayed over 200 accounts from one address is throttled after the configured count, and no account is locked", async () => {
    const w = await worldWithPanel({ throttle: { perAddress: { limit: 20 } } });
    const emails = Array.from({ length: 200 }, (_, i) => `person-${i}@example.com`);
    for (const email of emails.slice(0, 30)) await w.member(email);
    const answers: string[] = [];
    for (const email of emails) {
      const answer = await w.panelAccess.login({
        email,
        password: SPRAYED,
        clientAddress: ADDRESS,
      });
      answers.push(answer.isErr() ? answer.error.type : "ok");
    }
    await w.panelAccess.settled();
    expect(answers.slice(0, 20)).toEqual(Array(20).fill("LOGIN_FAILED"));
    expect(answers.slice(20)).toEqual(Array(180).fill("TOO_MANY_ATTEMPTS"));
    for (const email of emails.slice(0, 30)) expect(await statusIn(w, email)).toBe("active");
    // Another address is not slowed by this one.
    const other = await w.panelAccess.login({
      email: emails[0] ?? "",
      password: PASSWORD,
      clientAddress: "198.51.100.1",
    });
    expect(other.isOk()).toBe(true);
  });

  it("LCK-9: an unknown e-mail is throttled exactly like a known one, with the same answer and wait", async () => {
    const w = await worldWithPanel({ throttle: { perEmailAndAddress: { limit: 3 } } });
    await w.member("known@example.com");
    const run = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(
          await w.panelAccess.login({ email, password: "wrong password", clientAddress: ADDRESS }),
        );
      }
      return answers;
    };
    const known = await run("known@example.com");
    const unknown = await run("nobody@example.com");
    const shape = (r: (typeof known)[number]) =>
      r.isErr()
        ? {
            type: r.error.type,
            wait: "retryAfter" in r.error ? r.error.retryAfter.toMillis() : null,
          }
        : "ok";
    expect(known.map(shape)).toEqual(unknown.map(shape));
    expect(known.map(shape).slice(3)).toEqual([
      expect.objectContaining({ type: "TOO_MANY_ATTEMPTS" }),
      expect.objectContaining({ type: "TOO_MANY_ATTEMPTS" }),
    ]);
  });

  it("LCK-9: a refused attempt checks nothing and counts nothing; waiting the retryAfter it was given is enough", async () => {
    const w = await worldWithPanel({
      throttle: { perEmailAndAddress: { limit: 2, halfLife: { minutes: 10 } } },
    });
    await w.member("person@example.com");
    const email = "person@example.com";
    const attempt = (password: string) =>
      w.panelAccess.login({ email, password, clientAddress: ADDRESS });
    await attempt("wrong password");
    await attempt("wrong password");
    const waits = [];
    for (let i = 0; i < 5; i++) {
      const refused = await attempt(PASSWORD);
      if (!(refused.isErr() && refused.error.type === "TOO_MANY_ATTEMPTS"))
        expect.fail("not refused");
      waits.push(refused.error.retryAfter.toMillis());
    }
    // Refused attempts pushed nothing: the wait only shrinks as time passes.
    expect(new Set(waits).size).toBe(1);
    await w.panelAccess.settled();
    const account = await w.store.transact({}, (tx) => tx.findAccountByEmail(email));
    expect(account?.lockout.consecutiveFailures).toBe(2);
    w.clock.advance({ milliseconds: waits[0] ?? 0 });
    expect((await attempt(PASSWORD)).isOk()).toBe(true);
  });

  it("LCK-9: an address that is throttled cannot push another person's counters: the person logs in from elsewhere", async () => {
    const w = await worldWithPanel({ throttle: { perAddress: { limit: 5 } } });
    await w.member("victim@example.com");
    for (let i = 0; i < 5; i++) {
      await w.panelAccess.login({
        email: `made-up-${i}@example.com`,
        password: "x",
        clientAddress: ADDRESS,
      });
    }
    for (let i = 0; i < 150; i++) {
      const refused = await w.panelAccess.login({
        email: "victim@example.com",
        password: "wrong password",
        clientAddress: ADDRESS,
      });
      expect(refused.isErr() && refused.error.type).toBe("TOO_MANY_ATTEMPTS");
    }
    const victim = await w.panelAccess.login({
      email: "victim@example.com",
      password: PASSWORD,
      clientAddress: "198.51.100.77",
    });
    expect(victim.isOk()).toBe(true);
  });

  it("LCK-9: a completed login forgets the e-mail-and-address count, so a person who mistyped is not slowed later", async () => {
    const w = await worldWithPanel({ throttle: { perEmailAndAddress: { limit: 3 } } });
    const { app } = await w.enrolled("person@example.com");
    const email = "person@example.com";
    for (let i = 0; i < 3; i++) {
      await w.panelAccess.login({ email, password: "wrong password", clientAddress: ADDRESS });
    }
    await w.panelAccess.settled();
    w.clock.advance({ hours: 25 });
    const step = (
      await w.panelAccess.login({ email, password: PASSWORD, clientAddress: ADDRESS })
    )._unsafeUnwrap();
    if (step.next !== "secondFactor") expect.fail(step.next);
    const code = app.code();
    (
      await w.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code,
        clientAddress: ADDRESS,
      })
    )._unsafeUnwrap();
    await w.panelAccess.settled(); // the count is forgotten after the answer
    for (let i = 0; i < 3; i++) {
      const answer = await w.panelAccess.login({
        email,
        password: "wrong password",
        clientAddress: ADDRESS,
      });
      expect(answer).toEqual(err({ type: "LOGIN_FAILED" }));
    }
  });

  it("LCK-9: forgot-password requests are throttled per e-mail and per address, known and unknown alike", async () => {
    const w = await worldWithPanel({ throttle: { resetRequestsPerEmail: { limit: 2 } } });
    await w.member("known@example.com");
    for (const email of ["known@example.com", "nobody@example.com"]) {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await w.panelAccess.forgotPassword({ email }));
      expect(answers.map((a) => (a.isErr() ? a.error.type : "ok"))).toEqual([
        "ok",
        "ok",
        "TOO_MANY_ATTEMPTS",
      ]);
    }
  });
});
