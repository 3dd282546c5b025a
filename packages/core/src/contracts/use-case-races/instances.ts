import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { DomainEvent } from "../../domain/events.js";
import type { MailIntent } from "../../domain/mail.js";
import { createPanelAccess } from "../../panel-access.js";
import type { MailEnvelope } from "../../ports/mailer.js";
import type { PasswordHasher } from "../../ports/password-hasher.js";
import type { StoragePort } from "../../ports/storage.js";

/** One library instance per store, all over one database, as application servers would be. */
export function instancesOver(stores: readonly StoragePort[], passwordHasher?: PasswordHasher) {
  let now = DateTime.fromISO("2026-02-02T10:00:00.000Z", { zone: "utc" });
  const mail: MailIntent[] = [];
  /** The outbox id of each message sent, in the order of `mail`. */
  const messageIds: string[] = [];
  const mailServer = { down: false };
  const events: DomainEvent[] = [];
  const ports = {
    clock: { now: () => now },
    mailer: {
      send: async (message: MailIntent, envelope: MailEnvelope) => {
        if (mailServer.down) throw Object.assign(new Error("down"), { code: "ECONNECTION" });
        mail.push(message);
        messageIds.push(envelope.messageId);
      },
    },
    events: { publish: (event: DomainEvent) => void events.push(event) },
    ...(passwordHasher && { passwordHasher }),
  };
  // Real argon2id at a cost fit for a test about races rather than hashing.
  const options = {
    appUrl: "https://app.example.test",
    argon2: { memoryCost: 1024, timeCost: 1 },
    allowWeakHashing: true,
    // These races are about the store's locks across instances: every request must reach
    // the store (LCK-7 v2's in-process queue still runs them one at a time per instance),
    // and throttling (LCK-9, tested on its own) must not refuse any.
    maxQueuedPerAccount: 1000,
    throttle: { enabled: false },
    twoFactor: { encryptionKeys: [{ id: "contract", key: randomBytes(32) }] },
    // A test setup: a use case answers after its mail was tried, so `mail` holds it at once.
    mail: { awaitSending: true },
  };
  const all = stores.map((store) => createPanelAccess({ store, ...ports }, options));
  /** Spreads callers over the instances. */
  const instance = (caller: number) => {
    const chosen = all[caller % all.length];
    if (chosen === undefined) throw new Error("no store");
    return chosen;
  };
  const tokenFor = (email: string) =>
    mail
      .filter((message) => message.kind === "invitation" && message.to === email)
      .map((message) =>
        message.kind === "invitation"
          ? (new URL(message.link).searchParams.get("token") ?? "")
          : "",
      );
  /** Moves the shared clock (a new TOTP step every 30 s). */
  const advance = (seconds: number) => {
    now = now.plus({ seconds });
  };
  const clockNow = () => now;
  /** Waits for every instance's background deliveries. */
  const settled = () => Promise.all(all.map((panelAccess) => panelAccess.settled()));
  return { instance, mail, messageIds, mailServer, events, tokenFor, advance, clockNow, settled };
}

/** The instances of one race, what they sent and published, and the shared clock. */
export type RaceWorld = ReturnType<typeof instancesOver>;
