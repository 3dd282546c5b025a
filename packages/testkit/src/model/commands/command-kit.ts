import { deepStrictEqual } from "node:assert/strict";
import type { AsyncCommand } from "fast-check";
import { DateTime } from "luxon";
import type { Result } from "neverthrow";
import type { Model, ModelAccess, ModelPerson } from "../state.js";
import { administratorOf } from "../world/cast.js";
import type { Real } from "../world.js";

/** One step of a history: `check` says whether it applies, `run` acts on both sides and compares. */
export abstract class ModelCommand implements AsyncCommand<Model, Real, false> {
  check(_model: Readonly<Model>): boolean {
    return true;
  }
  abstract run(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
}

/** "ok", or the error's stable code. */
export function outcomeOf(result: Result<unknown, { readonly type: string }>): string {
  return result.isOk() ? "ok" : result.error.type;
}

/** Fails the history with both sides shown. */
export function same<T>(actual: T, expected: T, what: string): void {
  deepStrictEqual(actual, expected, what);
}

/** An access term as generated: permanent, or temporary for `ms` from now (0: ends now, refused). */
export type AccessSpec =
  | { readonly type: "permanent" }
  | { readonly type: "temporary"; readonly ms: number };

export function modelAccess(spec: AccessSpec, now: number): ModelAccess {
  return spec.type === "permanent" ? spec : { type: "temporary", endsAt: now + spec.ms };
}

export function realAccess(access: ModelAccess) {
  return access.type === "permanent"
    ? access
    : { type: "temporary" as const, endsAt: DateTime.fromMillis(access.endsAt, { zone: "utc" }) };
}

export function describeAccess(spec: AccessSpec): string {
  return spec.type === "permanent" ? "permanent" : `temporary ${describeDuration(spec.ms)}`;
}

/** 90061000 → "1d1h1m1s". */
export function describeDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join("") || "0ms";
}

/** Short name of a person in a story: "p0". */
export const who = (index: number) => `p${index}`;

/** The person, and their real account id once known. */
export function personOf(
  model: Model,
  real: Real,
  index: number,
): { person: ModelPerson; accountId: string | undefined } {
  const person = model.people[index];
  if (person === undefined) throw new Error(`no person ${index}`);
  return { person, accountId: real.accountIds.get(person.email) };
}

/** The actor the model's administrative commands use for a panel: its first administrator. */
export function actorFor(model: Readonly<Model>, real: Real, panel: string) {
  return real.administrators[administratorOf(model, panel)] ?? real.admin;
}

/** What a completed login adds to the model: a session, maybe a remembered browser. */
export function addSession(person: ModelPerson, token: string, now: number): void {
  person.sessions.push({ token, createdAt: now, lastUsedAt: now, lastSeenAt: now, revoked: false });
}
