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

  it("INP-1: a configuration error names the path and what was expected: a missing key or URL, a number for a duration, a misspelt option", () => {
    const twoFactor = { encryptionKeys: [{ id: "k", key: new Uint8Array(32) }] };
    const refusal = (options: unknown) => {
      try {
        createPanelAccess(ports(), options as never);
      } catch (error) {
        expect(error).toBeInstanceOf(PanelAccessConfigError);
        return (error as Error).message;
      }
      return expect.fail("accepted");
    };
    expect(refusal({ appUrl: "https://a.test" })).toMatch(
      /required: \{ encryptionKeys: \[\{ id, key \}\] \}, at least one 32-byte AES-256 key\n\s+→ at twoFactor/,
    );
    expect(refusal({ twoFactor })).toMatch(/required: the app's base URL .*\n\s+→ at appUrl/);
    expect(
      refusal({ appUrl: "https://a.test", twoFactor, sessions: { idleTimeout: 1_800_000 } }),
    ).toMatch(
      /expected a luxon Duration or an object such as \{ minutes: 30 \}\n\s+→ at sessions\.idleTimeout/,
    );
    // A misspelt option is refused, never silently ignored (here `session` for `sessions`).
    expect(
      refusal({ appUrl: "https://a.test", twoFactor, session: { idleTimeout: { minutes: 5 } } }),
    ).toMatch(/Unrecognized key: "session"/);
    expect(refusal({ appUrl: "https://a.test", twoFactor, mail: { awaitSendng: true } })).toMatch(
      /Unrecognized key: "awaitSendng"\n\s+→ at mail/,
    );
  });

  it("SES-3: the last use is recorded at most once a minute by default; an interval that is not positive, or not shorter than the idle timeout, is refused naming sessions.lastUseInterval", () => {
    const twoFactor = testTwoFactorOptions();
    const { options } = createPanelAccess(ports(), { appUrl: "https://a.test", twoFactor });
    expect(options.sessions.lastUseInterval.toMillis()).toBe(60_000);
    const configured = createPanelAccess(ports(), {
      appUrl: "https://a.test",
      twoFactor,
      sessions: { idleTimeout: { minutes: 5 }, lastUseInterval: { minutes: 4, seconds: 59 } },
    });
    expect(configured.options.sessions.lastUseInterval.toMillis()).toBe(299_000);
    const refusal = (sessions: unknown) => {
      try {
        createPanelAccess(ports(), { appUrl: "https://a.test", twoFactor, sessions } as never);
      } catch (error) {
        expect(error).toBeInstanceOf(PanelAccessConfigError);
        return (error as Error).message;
      }
      return expect.fail("accepted");
    };
    const notShorter =
      /expected a duration shorter than sessions\.idleTimeout .*\n\s+→ at sessions\.lastUseInterval/;
    expect(refusal({ idleTimeout: { minutes: 5 }, lastUseInterval: { minutes: 5 } })).toMatch(
      notShorter,
    );
    // The default interval (1 minute) with an idle timeout of a minute or less.
    expect(refusal({ idleTimeout: { seconds: 60 } })).toMatch(notShorter);
    expect(refusal({ lastUseInterval: { seconds: 0 } })).toMatch(
      /expected a positive duration\n\s+→ at sessions\.lastUseInterval/,
    );
    expect(refusal({ lastUseInterval: 60_000 })).toMatch(
      /expected a luxon Duration or an object such as \{ minutes: 30 \}\n\s+→ at sessions\.lastUseInterval/,
    );
  });
});
