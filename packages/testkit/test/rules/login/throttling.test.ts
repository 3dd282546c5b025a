import type { ThrottleStore } from "@panel-access/core";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, resetTokenOf, statusIn, worldWithPanel } from "../../support/world.js";

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

  it("LCK-9: IPv6 addresses are counted per /64; an IPv4-mapped address counts as its IPv4 address", async () => {
    const w = await worldWithPanel({ throttle: { perAddress: { limit: 2 } } });
    const fail = (clientAddress: string, i: number) =>
      w.panelAccess.login({
        email: `x${i}@example.com`,
        password: "wrong password",
        clientAddress,
      });
    expect((await fail("2001:db8:1:2::1", 1)).isErr()).toBe(true);
    expect((await fail("2001:db8:1:2:ffff::9", 2)).isErr()).toBe(true);
    const third = await fail("2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd", 3);
    expect(third.isErr() && third.error.type).toBe("TOO_MANY_ATTEMPTS");
    const otherNetwork = await fail("2001:db8:1:3::1", 4);
    expect(otherNetwork.isErr() && otherNetwork.error.type).toBe("LOGIN_FAILED");
    await fail("192.0.2.5", 5);
    await fail("::ffff:192.0.2.5", 6);
    const mapped = await fail("192.0.2.5", 7);
    expect(mapped.isErr() && mapped.error.type).toBe("TOO_MANY_ATTEMPTS");
  });

  it("LCK-9: IPv6 /64s rotated inside one /48 meet the per-network limit", async () => {
    const w = await worldWithPanel({ throttle: { perNetwork: { limit: 4 } } });
    const answers = [];
    for (let i = 0; i < 6; i++) {
      const answer = await w.panelAccess.login({
        email: `n${i}@example.com`,
        password: "wrong password",
        clientAddress: `2001:db8:abcd:${(i + 1).toString(16)}::1`,
      });
      answers.push(answer.isErr() ? answer.error.type : "ok");
    }
    expect(answers).toEqual([
      ...Array(4).fill("LOGIN_FAILED"),
      ...Array(2).fill("TOO_MANY_ATTEMPTS"),
    ]);
    const elsewhere = await w.panelAccess.login({
      email: "n9@example.com",
      password: "wrong password",
      clientAddress: "2001:db8:abce:1::1",
    });
    expect(elsewhere.isErr() && elsewhere.error.type).toBe("LOGIN_FAILED");
  });

  it("LCK-9, INP-1: a malformed address is bad input, never a way around the throttle", async () => {
    const w = await worldWithPanel();
    for (const clientAddress of [
      "",
      "1",
      "01.2.3.4",
      "1.2.3.4.5",
      "example.com",
      "::g",
      "1.2.3.4\u0000",
      7,
    ]) {
      const answer = await w.panelAccess.login({
        email: "person@example.com",
        password: PASSWORD,
        clientAddress: clientAddress as string,
      });
      expect(answer.isErr() && answer.error.type, String(clientAddress)).toBe("INVALID_INPUT");
    }
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

  it("LCK-9: a failing throttle store refuses with THROTTLE_UNAVAILABLE by default, and lets the call through when open", async () => {
    const failing: ThrottleStore = {
      add: () => Promise.reject(new Error("connection refused")),
      clear: () => Promise.reject(new Error("connection refused")),
    };
    const closed = await worldWithPanel({ throttleStore: failing });
    await closed.member("person@example.com");
    expect(
      await closed.panelAccess.login({ email: "person@example.com", password: PASSWORD }),
    ).toEqual(err({ type: "THROTTLE_UNAVAILABLE" }));
    expect(await closed.panelAccess.forgotPassword({ email: "person@example.com" })).toEqual(
      err({ type: "THROTTLE_UNAVAILABLE" }),
    );
    const open = await worldWithPanel({
      throttleStore: failing,
      throttle: { onStoreFailure: "open" },
    });
    await open.member("person@example.com");
    expect(
      (await open.panelAccess.login({ email: "person@example.com", password: PASSWORD })).isOk(),
    ).toBe(true);
  });

  it("LCK-9: a throttle store that hangs counts as failing after storeTimeout", async () => {
    const hanging: ThrottleStore = { add: () => new Promise(() => {}), clear: async () => {} };
    const w = await worldWithPanel({
      throttleStore: hanging,
      throttle: { storeTimeout: { milliseconds: 20 } },
    });
    expect(await w.panelAccess.login({ email: "person@example.com", password: PASSWORD })).toEqual(
      err({ type: "THROTTLE_UNAVAILABLE" }),
    );
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

describe("registration throttling (LCK-9)", () => {
  it("LCK-9: guessed invitation links count against the address; past the limit even a working link waits, and a working one gives its count back", async () => {
    const w = await worldWithPanel({ throttle: { registrationFailuresPerAddress: { limit: 3 } } });
    const { token } = await w.invite("new@example.com");
    const guess = "A".repeat(22) + "." + "B".repeat(43);
    const register = (t: string) =>
      w.panelAccess.register({
        token: t,
        password: "a fine long passphrase",
        clientAddress: ADDRESS,
      });
    for (let i = 0; i < 3; i++) {
      const answer = await register(guess);
      expect(answer.isErr() && answer.error.type).toBe("INVITATION_UNKNOWN");
    }
    const throttled = await register(token ?? "");
    expect(throttled.isErr() && throttled.error.type).toBe("TOO_MANY_ATTEMPTS");
    w.clock.advance({ hours: 3 });
    expect((await register(token ?? "")).isOk()).toBe(true);
  });
});

describe("reset-mail limit (PWD-5)", () => {
  it("PWD-5: at most 3 reset links per account per hour; past it the answer is unchanged, nothing is sent, and the latest link stays valid", async () => {
    const w = await worldWithPanel();
    await w.member("person@example.com");
    const email = "person@example.com";
    for (let i = 0; i < 3; i++) {
      (await w.panelAccess.forgotPassword({ email }))._unsafeUnwrap();
      w.clock.advance({ minutes: 5 });
    }
    await w.panelAccess.settled();
    const latest = resetTokenOf(w, email);
    const sent = w.mailer.to(email, "passwordReset").length;
    expect(sent).toBe(3);
    (await w.panelAccess.forgotPassword({ email }))._unsafeUnwrap();
    await w.panelAccess.settled();
    expect(w.mailer.to(email, "passwordReset")).toHaveLength(3);
    expect(w.events.ofType("passwordReset.limited")).toHaveLength(1);
    expect((await w.panelAccess.inspectPasswordReset({ token: latest })).isOk()).toBe(true);
    // An hour after the first, one more may go.
    w.clock.advance({ minutes: 46 });
    (await w.panelAccess.forgotPassword({ email }))._unsafeUnwrap();
    await w.panelAccess.settled();
    expect(w.mailer.to(email, "passwordReset")).toHaveLength(4);
  });
});
