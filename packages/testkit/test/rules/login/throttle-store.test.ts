import type { ThrottleStore } from "@panel-access/core";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

describe("throttling before any check (LCK-9)", () => {
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
});
