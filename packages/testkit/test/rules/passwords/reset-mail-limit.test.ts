import { describe, expect, it } from "vitest";
import { resetTokenOf, worldWithPanel } from "../../support/world.js";

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
