import { startMailDispatcher } from "@panel-access/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { worldWithPanel } from "../../support/world.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("MAIL-2: the dispatcher loop", () => {
  it("MAIL-2: startMailDispatcher sends what failed once the retry is due, on its own timer, and stops cleanly", async () => {
    const w = await worldWithPanel();
    w.mailer.failWith();
    (
      await w.panelAccess.addMember({
        actor: w.admin,
        panelId: w.panelId,
        email: "person@example.com",
        role: "analyst",
        access: { type: "permanent" },
      })
    )._unsafeUnwrap();
    w.mailer.recover();
    vi.useFakeTimers();
    const reports: unknown[] = [];
    const dispatcher = startMailDispatcher(w.panelAccess, {
      every: 30_000,
      onReport: (r) => reports.push(r),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(w.mailer.to("person@example.com", "invitation")).toHaveLength(0); // not due yet
    w.clock.advance({ minutes: 1 }); // the library's clock: the retry is due
    await vi.advanceTimersByTimeAsync(30_000); // the loop's timer: the next round
    expect(w.mailer.to("person@example.com", "invitation")).toHaveLength(1);
    expect(reports).toEqual([{ sent: 1, retrying: 0, failed: 0 }]);
    await dispatcher.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(reports).toHaveLength(1);
  });
});
