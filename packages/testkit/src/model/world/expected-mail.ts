import { deepStrictEqual } from "node:assert/strict";
import type { MailIntent } from "@panel-access/core";
import type { DateTime } from "luxon";
import { type Model, RULES } from "../state.js";
import type { Real } from "./real.js";

/** A message the model expects from one command: to whom, which kind, and what it must state. */
export interface ExpectedMail {
  readonly kind: MailIntent["kind"];
  readonly to: string;
  /** The expiry it states (a link's, or how long a browser is remembered). */
  readonly expiresAt?: number;
  /** The panel it names (model key); `null`: it names none (the support team's 2FA reset). */
  readonly panel?: string | null;
  /** ACC-2 v2: who granted the access (an administrator's e-mail). */
  readonly grantedBy?: string;
}

/** PWD-3: the expiry of a reset link issued now. */
export const resetExpiry = (now: number) => now + RULES.resetValidity;

/** The token in a link of a message. */
export function tokenIn(link: string): string {
  return new URL(link).searchParams.get("token") ?? "";
}

/** The model's key of a real panel id. */
export const panelKey = (real: Real, id: string) =>
  [...real.panelIds].find(([, panelId]) => panelId === id)?.[0];

/** Learns the links a message carries, and checks what it states against the model. */
export function learnFrom(
  model: Model,
  real: Real,
  message: MailIntent,
  expected: ExpectedMail | undefined,
  label: string,
) {
  const person = model.people.find((candidate) => candidate.email === message.to);
  if (person === undefined) return;
  const check = (actual: DateTime) => {
    if (expected?.expiresAt !== undefined)
      deepStrictEqual(
        actual.toMillis(),
        expected.expiresAt,
        `${label}: the expiry ${message.kind} states`,
      );
  };
  const checkPanel = (panel: { readonly id: string } | null) => {
    if (expected?.panel !== undefined)
      deepStrictEqual(
        panel === null ? null : panelKey(real, panel.id),
        expected.panel,
        `${label}: the panel ${message.kind} names`,
      );
  };
  switch (message.kind) {
    case "invitation":
      check(message.expiresAt);
      person.invitations.push({
        token: tokenIn(message.link),
        expiresAt: message.expiresAt.toMillis(),
        used: false,
      });
      return;
    case "passwordReset":
      check(message.expiresAt);
      person.resets.push({
        token: tokenIn(message.link),
        expiresAt: message.expiresAt.toMillis(),
        used: false,
      });
      return;
    case "accountLocked":
      check(message.expiresAt);
      person.resets.push({
        token: tokenIn(message.resetLink),
        expiresAt: message.expiresAt.toMillis(),
        used: false,
      });
      return;
    case "browserRemembered":
      check(message.until);
      return;
    case "accessGranted":
      checkPanel(message.panel);
      if (expected?.grantedBy !== undefined)
        deepStrictEqual(message.grantedBy, expected.grantedBy, `${label}: who granted access`);
      return;
    case "accessRestored":
    case "twoFactorReset":
      checkPanel(message.panel);
      return;
    default:
      return;
  }
}
