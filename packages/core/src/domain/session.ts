import { DateTime, type Duration } from "luxon";
import { addDuration } from "./time.js";

/**
 * How the person proved who they are: `local` (password and second factor)
 * reaches every live panel; `sso` (the host's identity provider, TFA-9)
 * reaches only panels with SSO enabled.
 */
export type AuthenticationMethod = "local" | "sso";

/** A completed login (SES-1). The token's secret is stored only as a hash (ACC-8). */
export interface SessionRecord {
  /** The token's public selector. */
  readonly id: string;
  readonly accountId: string;
  readonly secretHash: string;
  readonly method: AuthenticationMethod;
  readonly createdAt: DateTime;
  readonly lastUsedAt: DateTime;
  /** The absolute limit, fixed at creation. */
  readonly expiresAt: DateTime;
}

/** Session lifetimes. */
export interface SessionPolicy {
  /** Ends a session unused for this long, counted from its recorded last use. */
  readonly idleTimeout: Duration;
  /** Ends every session this long after login, however active. */
  readonly absoluteTimeout: Duration;
  /** SES-3: a check records the last use only once the recorded one is this old. */
  readonly lastUseInterval: Duration;
}

/** When the session stops working if it is not used again. */
export function sessionEndsAt(session: SessionRecord, policy: SessionPolicy): DateTime {
  return DateTime.min(
    addDuration(session.lastUsedAt, policy.idleTimeout),
    session.expiresAt,
  ) as DateTime;
}

/** SES-1: a session is usable while `now` is before both its idle and its absolute end. */
export function isSessionUsable(
  session: SessionRecord,
  policy: SessionPolicy,
  now: DateTime,
): boolean {
  return now.toMillis() < sessionEndsAt(session, policy).toMillis();
}

/**
 * SES-3: whether a check at `now` records the use: only when the recorded
 * last use is `lastUseInterval` old or older (`now >= lastUsedAt + interval`).
 * Younger, the check only reads.
 */
export function isLastUseDue(
  session: SessionRecord,
  policy: SessionPolicy,
  now: DateTime,
): boolean {
  return now.toMillis() >= addDuration(session.lastUsedAt, policy.lastUseInterval).toMillis();
}

/**
 * SES-3: the guard of the write that records a use at `now`: the recorded
 * last use must be at or before this instant (`now - lastUseInterval`), so
 * of concurrent checks that all found it due, one writes.
 */
export function lastUseDueBy(policy: SessionPolicy, now: DateTime): DateTime {
  return DateTime.fromMillis(now.toMillis() - policy.lastUseInterval.toMillis(), {
    zone: now.zone,
  });
}
