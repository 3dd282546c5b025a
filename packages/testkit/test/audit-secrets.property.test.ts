import { MemoryStore } from "@panel-access/adapter-memory";
import type { PanelAccess } from "@panel-access/core";
import {
  type Model,
  modelCommands,
  newHistory,
  openingMoves,
  type Real,
} from "@panel-access/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** Histories a run drives (each up to 40 commands of every use case). */
const HISTORIES = Number(process.env.AUDIT_SCAN_HISTORIES ?? 300);

/** `newHistory`'s administrators register with this password, before any call is recorded. */
const ADMINISTRATOR_PASSWORD = "administrator password";

/** A token `<selector>.<secret>`: the selector is a record's public id, which events may name. */
const TOKEN = /^[A-Za-z0-9_-]{22}\.([A-Za-z0-9_-]{43})$/;

/** Fields whose text is a secret, in an input or an answer of the library. */
const SECRET_FIELDS = new Set([
  "password",
  "code",
  "token",
  "challenge",
  "sessionToken",
  "rememberedBrowserToken",
  "secret",
  "backupCodes",
  "uri",
  "link",
  "resetLink",
]);

/** Adds what a secret field holds: a password in every form, a token's secret, a link's or URI's secret. */
function addSecret(text: string, secrets: Set<string>): void {
  const token = TOKEN.exec(text);
  if (token) {
    secrets.add(text).add(token[1] as string);
    return;
  }
  if (/^[a-z]+:\/\//.test(text)) {
    const url = new URL(text);
    for (const name of ["token", "secret"]) {
      const value = url.searchParams.get(name);
      if (value) addSecret(value, secrets);
    }
    return;
  }
  for (const form of [text, text.normalize("NFKC"), text.normalize("NFC")]) secrets.add(form);
}

/** Every secret text in `value`: the strings under a secret field, at any depth. */
function collect(value: unknown, secrets: Set<string>, secretField = false): void {
  if (typeof value === "string") {
    if (secretField && value.length >= 6) addSecret(value, secrets);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, secrets, secretField);
  } else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value))
      collect(inner, secrets, secretField || SECRET_FIELDS.has(key));
  }
}

/** The library, recording every secret that goes in (passwords, codes, tokens) or comes out. */
function recording(panelAccess: PanelAccess, secrets: Set<string>): PanelAccess {
  return new Proxy(panelAccess, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (input: unknown) => {
        collect(input, secrets);
        const answer = value(input);
        return typeof answer?.map === "function"
          ? answer.map((output: unknown) => {
              collect(output, secrets);
              return output;
            })
          : answer;
      };
    },
  });
}

/** What the model holds of each person's secrets too (a cross-check of the recording). */
function modelSecrets(model: Model, secrets: Set<string>): void {
  for (const p of model.people) {
    collect(
      {
        password: p.password,
        token: [...p.invitations, ...p.resets, ...p.challenges, ...p.browsers, ...p.sessions].map(
          (t) => t.token,
        ),
        backupCodes: p.backupCodes.map((c) => c.code),
        uri: p.totpUri,
      },
      secrets,
    );
  }
}

describe("AUD-1, AUD-2: no stored audit event carries a secret issued or typed in the run", () => {
  it(`AUD-2: over ${HISTORIES} random histories of every use case, no stored event holds a password, code, TOTP secret, backup code, link, session or browser token`, async () => {
    let eventsScanned = 0;
    let secretsChecked = 0;
    await fc.assert(
      fc.asyncProperty(modelCommands(40), async (commands) => {
        const store = new MemoryStore();
        const history = await newHistory(store);
        const secrets = new Set<string>([ADMINISTRATOR_PASSWORD]);
        const real: Real = {
          ...history.real,
          panelAccess: recording(history.real.panelAccess, secrets),
        };
        for (const move of openingMoves()) await move.run(history.model, real);
        await fc.asyncModelRun(() => ({ model: history.model, real }), commands);
        await real.panelAccess.settled();
        collect(real.mailer.sent, secrets);
        modelSecrets(history.model, secrets);

        const stored = await store.transact({}, (tx) =>
          tx.listAuditEvents({ limit: Number.MAX_SAFE_INTEGER }),
        );
        expect(stored.length).toBeGreaterThan(10);
        const json = JSON.stringify(stored);
        for (const secret of secrets) {
          expect(json.includes(secret), `a stored event holds the secret ${secret}`).toBe(false);
        }
        // The run did issue and type secrets of every kind.
        const all = [...secrets];
        expect(all.some((s) => /^\d{6}$/.test(s))).toBe(true);
        expect(all.some((s) => /^[A-Za-z0-9_-]{43}$/.test(s))).toBe(true);
        expect(all.some((s) => /^[A-Z2-7]{16,}$/.test(s))).toBe(true);
        eventsScanned += stored.length;
        secretsChecked += secrets.size;
      }),
      { numRuns: HISTORIES },
    );
    console.log(
      `AUD-2 secrets scan: ${HISTORIES} histories, ${eventsScanned} stored events, ${secretsChecked} secrets looked for`,
    );
  }, 600_000);
});
