import { MemoryStore } from "@panel-access/adapter-memory";
import { describe, expect, it } from "vitest";
import { newHistory } from "../src/index.js";
import { openingMoves } from "../src/model/check.js";
import {
  AddMember,
  ChangeAccess,
  RemoveMember,
  ResetTwoFactor,
  SupportResetTwoFactor,
} from "../src/model/commands/admin-commands.js";
import { AdvanceClock, Login } from "../src/model/commands/login-commands.js";
import { ADMINISTRATORS } from "../src/model/world/cast.js";

/**
 * TFA-8 v2 as a fixed history of model commands (each compared with the
 * core as in the model check), with the core's side asserted directly.
 * Administrator 0 administers A and B, administrator 1 B and C; p0 starts
 * enrolled in 2FA with permanent access to A and a session.
 */
async function world() {
  const history = await newHistory(new MemoryStore());
  for (const move of openingMoves()) await move.run(history.model, history.real);
  const { model, real } = history;
  const p0 = model.people[0];
  if (p0 === undefined) throw new Error("no p0");
  const session = p0.sessions.at(-1)?.token ?? "";
  const sessionWorks = async () =>
    (await real.panelAccess.validateSession({ sessionToken: session })).isOk();
  const nextAfterPassword = async () => {
    const step = await real.panelAccess.login({ email: p0.email, password: p0.password ?? "" });
    return step.isOk() ? step.value.next : step.error.type;
  };
  return { model, real, p0, sessionWorks, nextAfterPassword };
}

describe("TFA-8 v2: no 2FA reset across organisations", () => {
  it("TFA-8 v2, ACC-2 v2: an administrator who adds someone to their own panel cannot reset their 2FA; nothing changes", async () => {
    const w = await world();
    expect(ADMINISTRATORS).toEqual([
      ["A", "B"],
      ["B", "C"],
    ]);
    // Administrator 1 adds p0 (of A) to C: p0 is told who did it (MAIL-3).
    await new AddMember(0, "C", { type: "permanent" }).run(w.model, w.real);
    const granted = w.real.mailer.last(w.p0.email, "accessGranted");
    expect(granted?.grantedBy).toBe(w.real.administratorEmails[1]);
    expect(granted?.panel.id).toBe(w.real.panelIds.get("C"));

    await new ResetTwoFactor(0, "C", 1).run(w.model, w.real);
    expect(w.model.reached).toContain("ResetTwoFactor: TWO_FACTOR_RESET_NEEDS_SUPPORT");
    expect(w.real.mailer.to(w.p0.email, "twoFactorReset")).toHaveLength(0);
    expect(await w.sessionWorks()).toBe(true);
    expect(await w.nextAfterPassword()).toBe("secondFactor");

    // The other way round too: A's administrator does not administer C.
    await new ResetTwoFactor(0, "A", 0).run(w.model, w.real);
    // ACC-5: administrator 1 is no administrator of A at all.
    await new ResetTwoFactor(0, "A", 1).run(w.model, w.real);
    expect(w.model.reached).toContain("ResetTwoFactor: FORBIDDEN");
    expect(await w.sessionWorks()).toBe(true);
    expect(w.p0.twoFactor).toBe("enrolled");
  });

  it("TFA-8 v2: access that has ended elsewhere still stands in the way (it can be restored at once); a removed one does not", async () => {
    const w = await world();
    await new AddMember(0, "C", { type: "temporary", ms: 60_000 }).run(w.model, w.real);
    await new ResetTwoFactor(0, "A", 0).run(w.model, w.real);
    expect(w.real.mailer.to(w.p0.email, "twoFactorReset")).toHaveLength(0);
    await new AdvanceClock(60_000).run(w.model, w.real);
    await new ResetTwoFactor(0, "A", 0).run(w.model, w.real);
    expect(w.real.mailer.to(w.p0.email, "twoFactorReset")).toHaveLength(0);
    await new RemoveMember(0, "C").run(w.model, w.real);
    await new ResetTwoFactor(0, "A", 0).run(w.model, w.real);
    const notice = w.real.mailer.last(w.p0.email, "twoFactorReset");
    expect(notice?.panel?.id).toBe(w.real.panelIds.get("A"));
    expect(await w.sessionWorks()).toBe(false);
    expect(await w.nextAfterPassword()).toBe("secondFactorSetup");
  });

  it("TFA-8 v2: the support team resets it wherever the person has access; nobody else may ask it to", async () => {
    const w = await world();
    await new AddMember(0, "C", { type: "permanent" }).run(w.model, w.real);
    await new ChangeAccess(0, "C", { type: "temporary", ms: 86_400_000 }).run(w.model, w.real);
    await new SupportResetTwoFactor(0, "administrator").run(w.model, w.real);
    expect(w.model.reached).toContain("SupportResetTwoFactor: FORBIDDEN");
    expect(await w.sessionWorks()).toBe(true);

    await new SupportResetTwoFactor(0, "operator").run(w.model, w.real);
    const notice = w.real.mailer.last(w.p0.email, "twoFactorReset");
    expect(notice?.panel).toBeNull();
    expect(await w.sessionWorks()).toBe(false);
    expect(await w.nextAfterPassword()).toBe("secondFactorSetup");
    // The next login sets 2FA up anew (TFA-1), as the model expects too.
    await new Login(0, true, "none").run(w.model, w.real);

    const unknown = await w.real.panelAccess.supportResetTwoFactor({
      actor: { type: "operator", operatorId: "support" },
      email: "nobody-at-all@model.test",
    });
    expect(unknown.isErr() && unknown.error.type).toBe("ACCOUNT_NOT_FOUND");
  });
});
