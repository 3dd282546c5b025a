import type { LimitFunction } from "p-limit";
import type { ResolvedOptions } from "../config/options.js";
import type { Clock } from "../ports/clock.js";
import type { EventSink } from "../ports/events.js";
import type { Logger } from "../ports/logger.js";
import type { Mailer } from "../ports/mailer.js";
import type { PasswordHasher } from "../ports/password-hasher.js";
import type { PasswordScreen } from "../ports/password-screen.js";
import type { RandomSource } from "../ports/random.js";
import type { StoragePort } from "../ports/storage.js";
import type { ThrottleStore } from "../ports/throttle.js";
import type { AccountQueues } from "./account-queues.js";
import type { TracerSource } from "./tracing.js";

/** Everything a use case may reach: the ports, the resolved options and two shared helpers. */
export interface Dependencies {
  readonly store: StoragePort;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly events: EventSink;
  readonly random: RandomSource;
  readonly passwordHasher: PasswordHasher;
  /** PWD-6: screens new passwords (registration, reset). */
  readonly passwordScreen: PasswordScreen;
  readonly options: ResolvedOptions;
  /**
   * LCK-8: a hash of a random password with the current parameters, made once,
   * so that a login for an account whose real hash is not checked still costs
   * one full verification.
   */
  readonly dummyPasswordHash: () => Promise<string>;
  /** Deliveries still running in the background (see `Outbox.deliver`). */
  readonly deliveries: Set<Promise<void>>;
  /** LCK-7 v2: the per-account queues in front of the store's lock. */
  readonly accountQueues: AccountQueues;
  /** LCK-9: the host's throttle counters (shared by its instances, or this process's). */
  readonly throttleStore: ThrottleStore;
  /** LCK-9: this instance's own counter of failures, for `throttle.perInstance`. */
  readonly instanceThrottle: ThrottleStore;
  /** Bounds forgot-password work that goes on after its answer (`options.maxBackgroundWork`). */
  readonly backgroundSlots: LimitFunction;
  /** What the library does in the background, for operators (never a secret). */
  readonly logger: Logger;
  /** Where spans go: the host's tracer, `@opentelemetry/api`'s, or none. */
  readonly tracer: TracerSource;
  /** This instance's sending and whether it is shutting down (`shutdown()`). */
  readonly lifecycle: Lifecycle;
}

/** Mutable state of one instance of the library. */
export interface Lifecycle {
  /** Set by `shutdown()`: no new claim, no new send after a commit. */
  stopping: boolean;
  /** Messages being sent right after their commits (`mail.maxInFlight`). */
  sendsInFlight: number;
  /** `dispatchMail` rounds under way on this instance (`shutdown()` waits for them). */
  readonly rounds: Set<Promise<unknown>>;
  /**
   * Told once, when `shutdown()` sets `stopping`: a dispatcher round gives
   * back at once the messages it claimed ahead and has not begun.
   */
  readonly onStopping: Set<() => void>;
  /** A dispatcher loop was started through `panelAccess.startMailDispatcher`. */
  dispatcherStarted: boolean;
  /** The warning "mail left to the dispatcher, and none was started" was logged. */
  warnedNoDispatcher: boolean;
}
