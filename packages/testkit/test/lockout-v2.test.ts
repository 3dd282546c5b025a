import { MemoryStore } from "@panel-access/adapter-memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newHistory, type Real, statusOf } from "../src/index.js";
import { openingMoves } from "../src/model/check.js";
import { UnblockAccount } from "../src/model/commands/admin-commands.js";
import {
  AdvanceClock,
  Login,
  ResetPassword,
  SecondFactor,
  type SecondFactorKind,
} from "../src/model/commands/login-commands.js";

/**
 * The attack LCK-1 v2 closes: someone who knows p0's password guesses
 * second-factor codes, entering the password again before the count reaches
 * six (version 1 zeroed the count at every correct password). Each step runs
 * on the model and on the core (memory store) and is compared as in the
 * model check; the assertions below read the core's side only.
 */
async function enrolledWorld() {
  const history = await newHistory(new MemoryStore());
  for (const move of openingMoves()) await move.run(history.model, history.real);
  const { model, real } = history;
  const p0 = model.people[0];
  if (p0 === undefined) throw new Error("no p0");
  return { model, real, p0 };
}

/** A person's status as panel A's User Management shows it (the core's view). */
async function statusInA(real: Real, email: string) {
  const members = (
    await real.panelAccess.listMembers({ actor: real.admin, panelId: real.panelIds.get("A") ?? "" })
  )._unsafeUnwrap();
  return members.find((m) => m.email === email)?.status;
}

const wrongKinds: readonly SecondFactorKind[] = ["wrongTotp", "wrongBackup", "replayedTotp"];

/** One password step and `codes` wrong codes of `kind`, stopping at the lock; answers the wrong codes given. */
async function round(
  w: Awaited<ReturnType<typeof enrolledWorld>>,
  codes: number,
  kind: SecondFactorKind,
  given: number,
  onEachWrongCode: (n: number) => Promise<void>,
): Promise<number> {
  await new Login(0, true, "none").run(w.model, w.real);
  let n = given;
  for (let i = 0; i < codes && n < 6; i++) {
    await new SecondFactor(0, kind, false).run(w.model, w.real);
    n += 1;
    await onEachWrongCode(n);
  }
  return n;
}

describe("LCK-1 v2: a correct password alone no longer zeroes the failure count", () => {
  it("LCK-1 v2, LCK-6: a history alternating password steps and wrong codes reaches a lock", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Rounds of 1 to 5 wrong codes after a correct password: never six in one round.
        fc.array(
          fc.record({
            codes: fc.integer({ min: 1, max: 5 }),
            kind: fc.constantFrom(...wrongKinds),
          }),
          { minLength: 2, maxLength: 8 },
        ),
        async (rounds) => {
          const w = await enrolledWorld();
          let wrong = 0;
          for (const { codes, kind } of rounds) {
            if (wrong >= 6) break;
            wrong = await round(w, codes, kind, wrong, async (n) => {
              // Locked exactly at the sixth wrong code, not before.
              expect(await statusInA(w.real, w.p0.email)).toBe(n < 6 ? "active" : "locked");
              expect(w.real.mailer.to(w.p0.email, "accountLocked")).toHaveLength(n < 6 ? 0 : 1);
            });
          }
          const total = rounds.reduce((sum, r) => sum + r.codes, 0);
          expect(wrong).toBe(Math.min(6, total));
          if (total >= 6) {
            expect(w.model.reached).toContain("LCK-1 v2: locked across a correct password");
            // LCK-3: the right password no longer opens a challenge.
            const again = await w.real.panelAccess.login({
              email: w.p0.email,
              password: w.p0.password ?? "",
            });
            expect(again.isErr() && again.error.type).toBe("LOGIN_FAILED");
          } else {
            // Fewer than six: the next correct password still opens a second step.
            const again = await w.real.panelAccess.login({
              email: w.p0.email,
              password: w.p0.password ?? "",
            });
            expect(again.isOk() && again.value.next).toBe("secondFactor");
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("LCK-1 v2, LCK-5: a completed login zeroes the count; a correct password alone does not", async () => {
    const w = await enrolledWorld();
    // Five wrong codes over two password steps, then a completed login (the next TOTP step).
    await round(w, 3, "wrongTotp", 0, async () => {});
    await round(w, 2, "wrongBackup", 3, async () => {});
    await new Login(0, true, "none").run(w.model, w.real);
    await new AdvanceClock(30_000).run(w.model, w.real);
    await new SecondFactor(0, "totp", false).run(w.model, w.real);
    expect(w.model.reached).toContain("second factor: totp accepted");
    // Five more wrong codes after it: still active, no lock mail.
    await round(w, 5, "wrongTotp", 0, async () => {});
    expect(await statusInA(w.real, w.p0.email)).toBe("active");
    expect(w.real.mailer.to(w.p0.email, "accountLocked")).toHaveLength(0);
    // The sixth, after yet another correct password, locks.
    await round(w, 1, "replayedTotp", 5, async () => {});
    expect(await statusInA(w.real, w.p0.email)).toBe("locked");
    expect(w.real.mailer.to(w.p0.email, "accountLocked")).toHaveLength(1);
  });

  it("LCK-1 v2, LCK-4, LCK-5: with a password reset after each lock, the third alternating lock blocks permanently", async () => {
    const w = await enrolledWorld();
    for (let lock = 1; lock <= 3; lock++) {
      // Two password steps with three wrong codes each: the sixth failure locks.
      await round(w, 3, "wrongTotp", 0, async () => {});
      await round(w, 3, "wrongBackup", 3, async () => {});
      const locked = w.real.mailer.to(w.p0.email, "accountLocked");
      const blocked = w.real.mailer.to(w.p0.email, "accountBlocked");
      if (lock < 3) {
        expect(await statusInA(w.real, w.p0.email)).toBe("locked");
        expect([locked.length, blocked.length]).toEqual([lock, 0]);
        // LCK-4: the reset link of the lock mail reopens the account, and says so (MAIL-3).
        await new ResetPassword(0, "latest").run(w.model, w.real);
        expect(w.real.mailer.to(w.p0.email, "passwordChanged")).toHaveLength(lock);
        expect(await statusInA(w.real, w.p0.email)).toBe("active");
      } else {
        expect(await statusInA(w.real, w.p0.email)).toBe("permanentlyBlocked");
        expect([locked.length, blocked.length]).toEqual([2, 1]);
      }
    }
    expect(statusOf(w.p0, w.model.now)).toBe("permanentlyBlocked");
    expect(w.model.reached).toContain("LCK-1 v2: blocked across a correct password");
    // LCK-5: a password reset does not lift it (the last link is refused)…
    await new ResetPassword(0, "latest").run(w.model, w.real);
    expect(w.model.reached).toContain("reset: RESET_LINK_USED");
    const login = await w.real.panelAccess.login({
      email: w.p0.email,
      password: w.p0.password ?? "",
    });
    expect(login.isErr() && login.error.type).toBe("LOGIN_FAILED");
    // …only the support team does.
    await new UnblockAccount(0).run(w.model, w.real);
    expect(await statusInA(w.real, w.p0.email)).toBe("active");
  });
});
