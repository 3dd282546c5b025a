import { deepStrictEqual } from "node:assert/strict";
import type { AsyncCommand } from "fast-check";
import { DateTime } from "luxon";
import type { Result } from "neverthrow";
import type { Model, ModelAccess, ModelPerson } from "./state.js";
import type { Real } from "./world.js";

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
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join("") || "0ms";
}

/** Short name of a person in a story: "p0". */
export const who = (i: number) => `p${i}`;

/** The person, and their real account id once known. */
export function personOf(
  model: Model,
  real: Real,
  i: number,
): { p: ModelPerson; accountId: string | undefined } {
  const p = model.people[i];
  if (p === undefined) throw new Error(`no person ${i}`);
  return { p, accountId: real.accountIds.get(p.email) };
}

/** What a completed login adds to the model: a session, maybe a remembered browser. */
export function addSession(p: ModelPerson, token: string, now: number): void {
  p.sessions.push({ token, createdAt: now, lastUsedAt: now, revoked: false });
}
