import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

describe("throttling before any check (LCK-9)", () => {
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
});
