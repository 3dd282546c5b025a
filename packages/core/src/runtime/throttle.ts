import { createHmac } from "node:crypto";
import { type DateTime, Duration } from "luxon";
import { err, ok, type Result } from "neverthrow";
import { type ThrottleLimit, waitUntilBelow } from "../domain/throttle.js";
import { millisOf } from "../domain/time.js";
import type { ThrottleUnavailable, TooManyAttempts } from "../errors.js";
import { logSafely } from "../ports/logger.js";
import type { ThrottleChange } from "../ports/throttle.js";
import { inBackground } from "./background.js";
import { errorCode } from "./deliver-mail.js";
import type { Dependencies } from "./dependencies.js";
import { withTimeout } from "./with-timeout.js";

/** What is being throttled: each has its own counters (LCK-9). */
export type ThrottledCall = "login" | "forgotPassword" | "registration";

/** Who the call is about: the e-mail it names (if any) and the client's address key (if the host passed one). */
export interface ThrottleSubject {
  readonly email: string | null;
  readonly address: string | null;
}

/** An admitted attempt; a success gives it back. */
export interface Attempt {
  /**
   * The attempt succeeded: its counts are given back (a correct password or
   * code is no failure). With `completedLogin`, the e-mail-and-address
   * counter is forgotten as well.
   */
  succeeded(options?: { readonly completedLogin?: boolean }): Promise<void>;
  /**
   * The attempt was refused before anything was checked (LCK-7 v2's full
   * queue): its other counts stand, but the instance's ceiling, which counts
   * checks, gets it back.
   */
  notChecked(): Promise<void>;
}

const NOTHING_TO_GIVE_BACK: Attempt = { succeeded: async () => {}, notChecked: async () => {} };

/**
 * LCK-7 v2: the answer when too many requests for one e-mail already wait in
 * this process (`maxQueuedPerAccount`): LCK-9's answer, with a short wait.
 */
export function queueFull(): TooManyAttempts {
  return { type: "TOO_MANY_ATTEMPTS", retryAfter: Duration.fromObject({ seconds: 1 }) };
}

/**
 * LCK-9: counts this attempt against the subject's counters before anything
 * is checked, and refuses it when any counter is past its limit
 * (`TOO_MANY_ATTEMPTS` with the longest wait). Counting first makes N
 * parallel attempts cross a limit exactly once. An unknown e-mail counts
 * exactly like a known one: nothing here reads an account.
 */
export async function admit(
  deps: Dependencies,
  call: ThrottledCall,
  subject: ThrottleSubject,
): Promise<Result<Attempt, TooManyAttempts | ThrottleUnavailable>> {
  const options = deps.options.throttle;
  if (!options.enabled) return ok(NOTHING_TO_GIVE_BACK);
  const rules = rulesFor(deps, call, subject);
  const now = deps.clock.now();
  const instance = call === "login" ? [{ key: "instance", rule: options.perInstance }] : [];
  let counts: number[];
  try {
    const timeout = millisOf(options.storeTimeout);
    counts =
      rules.length === 0
        ? []
        : await withTimeout(
            deps.throttleStore.add(changes(rules, 1), now),
            timeout,
            "the throttle store",
          );
  } catch (cause) {
    logSafely(deps.logger, "warn", "throttle store failed", {
      call,
      error: errorCode(cause),
      answered: options.onStoreFailure === "open" ? "unthrottled" : "THROTTLE_UNAVAILABLE",
    });
    if (options.onStoreFailure === "open") return ok(NOTHING_TO_GIVE_BACK);
    return err({ type: "THROTTLE_UNAVAILABLE" });
  }
  const refused = refusal(zip(rules, counts));
  if (refused !== null) {
    // A refused attempt checked nothing: it gives its counts back, so nobody can push another
    // person's counters (their e-mail's) with attempts that are refused anyway.
    await giveBackRefused(deps, rules, now);
    return err(refused);
  }
  // The instance's ceiling counts only attempts that will be checked (a hash each):
  // attempts refused above cost nothing, and must not let a flood close the instance.
  const instanceCounts = await deps.instanceThrottle.add(changes(instance, 1), now);
  const overCeiling = refusal(zip(instance, instanceCounts));
  if (overCeiling !== null) {
    await deps.instanceThrottle.add(changes(instance, -1), now);
    return err(overCeiling);
  }
  return ok({
    succeeded(done = {}) {
      // Given back after the answer (awaited by `settled()`): a success waits for no store.
      inBackground(deps, giveBack(deps, rules, instance, done.completedLogin === true));
      return Promise.resolve();
    },
    async notChecked() {
      await deps.instanceThrottle.add(changes(instance, -1), deps.clock.now());
    },
  });
}

async function giveBackRefused(deps: Dependencies, rules: readonly KeyedRule[], now: DateTime) {
  try {
    const timeout = millisOf(deps.options.throttle.storeTimeout);
    await withTimeout(
      deps.throttleStore.add(changes(rules, -1), now),
      timeout,
      "the throttle store",
    );
  } catch {
    // Giving back is a courtesy: a failing store only leaves the counts a little high.
  }
}

/** `TOO_MANY_ATTEMPTS` with the longest wait, when any count is past its limit. */
function refusal(
  counted: readonly { count: number; rule: ThrottleLimit }[],
): TooManyAttempts | null {
  const waits = counted
    .filter(({ count, rule }) => count > rule.limit)
    .map(({ count, rule }) => waitUntilBelow(count, rule));
  return waits.length === 0 ? null : { type: "TOO_MANY_ATTEMPTS", retryAfter: longest(waits) };
}

/** A success gives its counts back; a completed login forgets the e-mail-and-address counter. */
async function giveBack(
  deps: Dependencies,
  rules: readonly KeyedRule[],
  instance: readonly Pick<KeyedRule, "key" | "rule">[],
  completedLogin: boolean,
): Promise<void> {
  const pair = rules.filter((r) => r.pair);
  const rest = rules.filter((r) => !(completedLogin && r.pair));
  try {
    const timeout = millisOf(deps.options.throttle.storeTimeout);
    await deps.instanceThrottle.add(changes(instance, -1), deps.clock.now());
    if (rest.length > 0) {
      await withTimeout(
        deps.throttleStore.add(changes(rest, -1), deps.clock.now()),
        timeout,
        "the throttle store",
      );
    }
    if (completedLogin && pair.length > 0) {
      await withTimeout(
        deps.throttleStore.clear(pair.map((r) => r.key)),
        timeout,
        "the throttle store",
      );
    }
  } catch {
    // Giving back is a courtesy: a failing store only leaves the count a little high.
  }
}

interface KeyedRule {
  readonly key: string;
  readonly rule: ThrottleLimit;
  /** The e-mail-and-address counter, forgotten by a completed login. */
  readonly pair?: boolean;
}

function rulesFor(deps: Dependencies, call: ThrottledCall, subject: ThrottleSubject): KeyedRule[] {
  const t = deps.options.throttle;
  const { address } = subject;
  const email = subject.email === null ? null : emailKey(deps, subject.email);
  const rules: KeyedRule[] = [];
  const add = (key: string, rule: ThrottleLimit, pair = false) =>
    rules.push({ key: `${call}:${key}`, rule, pair });
  if (call === "login") {
    if (address !== null) add(`a:${address}`, t.perAddress);
    const network = address === null ? null : networkOf(address);
    if (network !== null) add(`n:${network}`, t.perNetwork);
    if (email !== null) add(`e:${email}`, t.perEmail);
    if (email !== null && address !== null)
      add(`ea:${email}:${address}`, t.perEmailAndAddress, true);
  } else if (call === "forgotPassword") {
    if (address !== null) add(`a:${address}`, t.resetRequestsPerAddress);
    if (email !== null) add(`e:${email}`, t.resetRequestsPerEmail);
  } else if (address !== null) {
    add(`a:${address}`, t.registrationFailuresPerAddress);
  }
  return rules;
}

/** The IPv6 /48 of an address key (`ipv6:a:b:c:d::/64`); `null` for IPv4. */
function networkOf(address: string): string | null {
  const match = /^ipv6:([0-9a-f]+:[0-9a-f]+:[0-9a-f]+):/.exec(address);
  return match ? `ipv6:${match[1]}::/48` : null;
}

/**
 * The e-mail as a throttle key: an HMAC under the first TOTP-sealing key, so
 * a shared throttle store (Redis, a table) holds no e-mail address. Rotating
 * that key starts the e-mail counters afresh.
 */
function emailKey(deps: Dependencies, email: string): string {
  const [first] = deps.options.twoFactor.encryptionKeys;
  return createHmac("sha256", first?.key ?? new Uint8Array())
    .update(`throttle:${email}`)
    .digest("base64url")
    .slice(0, 32);
}

function changes(
  rules: readonly Pick<KeyedRule, "key" | "rule">[],
  amount: number,
): ThrottleChange[] {
  return rules.map(({ key, rule }) => ({ key, amount, halfLife: rule.halfLife }));
}

function zip<R>(rules: readonly R[], counts: readonly number[]) {
  return rules.map((rule, i) => ({ ...rule, count: counts[i] ?? 0 }));
}

function longest(waits: readonly Duration[]): Duration {
  return waits.reduce((a, b) => (b.toMillis() > a.toMillis() ? b : a));
}
