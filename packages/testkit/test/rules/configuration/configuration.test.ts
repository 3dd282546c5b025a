import { MemoryStore } from "@panel-access/adapter-memory";
import { createPanelAccess, PanelAccessConfigError } from "@panel-access/core";
import { RecordingMailer, testTwoFactorOptions } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";

const ports = () => ({ store: new MemoryStore(), mailer: new RecordingMailer() });

describe("configuration", () => {
  it("LCK-1, LCK-5, PWD-3, SES-1: defaults are 6 failures, 3 locks, 1-hour reset links, 30-minute idle and 12-hour sessions", () => {
    const { options } = createPanelAccess(ports(), {
      appUrl: "https://app.example.test",
      twoFactor: testTwoFactorOptions(),
    });
    expect(options.lockoutThreshold).toBe(6);
    expect(options.locksBeforePermanentBlock).toBe(3);
    expect(options.passwordResetValidity.toMillis()).toBe(3_600_000);
    expect(options.challengeValidity.toMillis()).toBe(600_000);
    expect(options.sessions.idleTimeout.toMillis()).toBe(1_800_000);
    expect(options.sessions.absoluteTimeout.toMillis()).toBe(43_200_000);
    expect(options.invitationValidity.toMillis()).toBe(7 * 24 * 3_600_000);
  });

  it("PWD-1: argon2id defaults are the OWASP minimum (19 MiB, 2 passes, 1 lane)", () => {
    const { options } = createPanelAccess(ports(), {
      appUrl: "https://app.example.test",
      twoFactor: testTwoFactorOptions(),
    });
    expect(options.argon2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it("PWD-1, LCK-1: invalid options are refused at construction with a message naming them", () => {
    const invalid = [
      [{ appUrl: "not a url" }, "appUrl"],
      [{ appUrl: "https://a.test", lockoutThreshold: 0 }, "lockoutThreshold"],
      [{ appUrl: "https://a.test", sessions: { idleTimeout: { minutes: -5 } } }, "idleTimeout"],
      [{ appUrl: "https://a.test", argon2: { memoryCost: 1 } }, "memoryCost"],
    ] as const;
    for (const [options, named] of invalid) {
      expect(() => createPanelAccess(ports(), options as never)).toThrow(PanelAccessConfigError);
      expect(() => createPanelAccess(ports(), options as never)).toThrow(named);
    }
  });
});
