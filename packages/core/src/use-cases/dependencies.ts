import type { ResolvedOptions } from "../config/options.js";
import type { Clock } from "../ports/clock.js";
import type { EventSink } from "../ports/events.js";
import type { Mailer } from "../ports/mailer.js";
import type { PasswordHasher } from "../ports/password-hasher.js";
import type { RandomSource } from "../ports/random.js";
import type { StoragePort } from "../ports/storage.js";

/** Everything a use case may reach: the ports and the resolved options. */
export interface Dependencies {
  readonly store: StoragePort;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly events: EventSink;
  readonly random: RandomSource;
  readonly passwordHasher: PasswordHasher;
  readonly options: ResolvedOptions;
}
