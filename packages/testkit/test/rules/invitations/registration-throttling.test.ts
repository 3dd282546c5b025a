import { describe, expect, it } from "vitest";
import { worldWithPanel } from "../../support/world.js";

const ADDRESS = "203.0.113.7";

describe("registration throttling (LCK-9)", () => {
  it("LCK-9: guessed invitation links count against the address; past the limit even a working link waits, and a working one gives its count back", async () => {
    const w = await worldWithPanel({ throttle: { registrationFailuresPerAddress: { limit: 3 } } });
    const { token } = await w.invite("new@example.com");
    const guess = `${"A".repeat(22)}.${"B".repeat(43)}`;
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
