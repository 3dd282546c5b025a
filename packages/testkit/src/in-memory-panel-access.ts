import { randomBytes } from "node:crypto";
import { MemoryStore } from "@panel-access/adapter-memory";
import {
  type Argon2Parameters,
  createPanelAccess,
  type Logger,
  type Mailer,
  type PanelAccess,
  type PanelAccessOptions,
  type PasswordHasher,
  type PasswordScreen,
  type ThrottleStore,
  type Tracer,
} from "@panel-access/core";
import { EventRecorder, ManualClock, RecordingMailer } from "@panel-access/core/testing";
import type { DateTime } from "luxon";

/**
 * Cheap argon2id parameters for tests about rules rather than hashing: real
 * argon2id, real verification, a fraction of the cost. Never in production.
 */
export const TEST_ARGON2: Argon2Parameters = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** `twoFactor` options with one random AES-256 key: enough for a test or a demo. */
export function testTwoFactorOptions(): NonNullable<PanelAccessOptions["twoFactor"]> {
  return { encryptionKeys: [{ id: "test", key: randomBytes(32) }] };
}

/** What `createInMemoryPanelAccess` answers: the library and the test doubles behind it. */
export interface InMemoryPanelAccess {
  readonly panelAccess: PanelAccess;
  readonly store: MemoryStore;
  readonly clock: ManualClock;
  readonly mailer: RecordingMailer;
  readonly events: EventRecorder;
}

/** Options of `createInMemoryPanelAccess`: the library's options, plus the test setup's. */
export interface InMemoryOptions extends Partial<PanelAccessOptions> {
  /** @default 2026-01-05T09:00:00Z */
  readonly start?: DateTime;
  /** Shares one store between several instances (several app servers, one database). */
  readonly store?: MemoryStore;
  /** @default argon2id with `argon2` */
  readonly passwordHasher?: PasswordHasher;
  /** PWD-6. @default the library's: `createOfflinePasswordScreen()` */
  readonly passwordScreen?: PasswordScreen;
  /** LCK-9: shares throttle counters between instances. @default a new `MemoryThrottleStore` for this instance */
  readonly throttleStore?: ThrottleStore;
  /**
   * A real mailer (SMTP, `.eml` files) every message goes through; `mailer`
   * then records what it accepted. @default none: messages are only recorded
   */
  readonly forwardMailTo?: Mailer;
  /** Where the library logs. @default the library's: `silentLogger` */
  readonly logger?: Logger;
  /** Where the library's spans go. @default the library's: `@opentelemetry/api`'s tracer, if installed */
  readonly tracer?: Tracer;
}

/**
 * A complete in-memory setup: store, manual clock, recording mailer and event
 * recorder wired into `createPanelAccess`. `appUrl` defaults to
 * `https://app.example.test`; `argon2` to `TEST_ARGON2` with
 * `allowWeakHashing: true` (tests only: these parameters are below the OWASP floor); `twoFactor` to a
 * random TOTP-sealing key made for this instance (pass your own to share
 * sealed secrets between instances); `mail.awaitSending` to `true` (the
 * library's default is `false`, MAIL-4): a use case answers after its mail
 * was tried, so a test sees it in `mailer` at once. Pass
 * `mail: { awaitSending: false }` to see production behaviour (then
 * `await panelAccess.settled()` before reading `mailer`).
 */
export function createInMemoryPanelAccess(options: InMemoryOptions = {}): InMemoryPanelAccess {
  const {
    start,
    store = new MemoryStore(),
    passwordHasher,
    passwordScreen,
    throttleStore,
    forwardMailTo,
    logger,
    tracer,
    ...rest
  } = options;
  const clock = new ManualClock(start);
  const mailer = new RecordingMailer(forwardMailTo);
  const events = new EventRecorder();
  const resolved: PanelAccessOptions = {
    appUrl: "https://app.example.test",
    ...rest,
    twoFactor: rest.twoFactor ?? testTwoFactorOptions(),
    mail: { awaitSending: true, ...rest.mail },
    argon2: rest.argon2 ?? TEST_ARGON2,
    // PWD-1: test parameters are below the OWASP floor, and say so by name.
    allowWeakHashing: rest.allowWeakHashing ?? rest.argon2 === undefined,
  };
  const panelAccess = createPanelAccess(
    {
      store,
      clock,
      mailer,
      events,
      ...(passwordHasher && { passwordHasher }),
      ...(passwordScreen && { passwordScreen }),
      ...(throttleStore && { throttleStore }),
      ...(logger && { logger }),
      ...(tracer && { tracer }),
    },
    resolved,
  );
  return { panelAccess, store, clock, mailer, events };
}
