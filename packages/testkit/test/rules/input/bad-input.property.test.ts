import { scan, testTwoFactorOptions } from "@panel-access/testkit";
import fc from "fast-check";
import { DateTime } from "luxon";
import type { Result } from "neverthrow";
import { afterAll, describe, expect, it } from "vitest";
import { PASSWORD, resetTokenOf, type World, worldWithPanel } from "../../support/world.js";

const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/**
 * Inputs per entry point: 3,600 × 30 entry points = 108,000 a run (INP-1 asks
 * for at least 100,000); `pnpm verify:deep` multiplies it by `FUZZ_SCALE`.
 */
const RUNS_PER_USE_CASE = 3600 * FUZZ_SCALE;
/** INP-1 v2: ill-formed inputs per entry point (each spoils one text field of a valid input). */
const ILL_FORMED_RUNS = 300 * FUZZ_SCALE;
/** PWD-1 v2: NFKC-equivalent password pairs (each registers, resets and logs in twice: 4 hashes). */
const NFKC_RUNS = 25 * FUZZ_SCALE;
let inputsRun = 0;

/**
 * INP-1 v2: a UTF-16 unit that makes text ill-formed: NUL, or a surrogate
 * (alone, since `spoiled` inserts one unit where no pair can form with it).
 */
const illFormedUnit = fc.oneof(
  fc.constantFrom("\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF"),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
);

/** The test's own check (not the core's): NUL, or a surrogate that is not half of a pair. */
function isIllFormed(text: string): boolean {
  return text.includes("\u0000") || /\p{Cs}/u.test(text);
}

/** `text` with one ill-formed unit at `at` (mod its length + 1): start, end, or inside a pair. */
function spoil(text: string, at: number, unit: string): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + unit + text.slice(i);
}

/**
 * Strings from `text` with one ill-formed unit inserted anywhere. Always
 * ill-formed: inserted inside a surrogate pair it leaves one half alone.
 */
function spoiled(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.nat(), illFormedUnit).map(([good, at, unit]) => spoil(good, at, unit));
}

/**
 * PWD-1 v2: pieces of text with two forms NFKC makes the same: fullwidth
 * letters and digits, ligatures, superscripts, Roman numerals, squared and
 * circled forms, the Angstrom sign, a decomposed accent, halfwidth katakana
 * (with a separate voicing mark), the micro sign, the long s, no-break and
 * ideographic spaces.
 */
const NFKC_PAIRS: readonly (readonly [string, string])[] = [
  ["ｐ", "p"],
  ["Ａ", "A"],
  ["１", "1"],
  ["９", "9"],
  ["\ufb01", "fi"],
  ["\ufb00", "ff"],
  ["²", "2"],
  ["Ⅸ", "IX"],
  ["①", "1"],
  ["㎏", "kg"],
  ["\u212b", "\u00c5"],
  ["e\u0301", "\u00e9"],
  ["\u00b5", "\u03bc"],
  ["\u017f", "s"],
  ["\u00a0", " "],
  ["\u3000", " "],
  ["ﾊ", "ハ"],
  ["ｶﾞ", "ガ"],
  ["\u01c4", "D\u017d"],
];

/**
 * Two different passwords that NFKC makes the same: at least 8 pieces, each
 * typed in either form; the first piece differs, so the two never coincide.
 */
const nfkcEquivalentPasswords = fc
  .tuple(
    fc.constantFrom(...NFKC_PAIRS),
    fc.array(fc.tuple(fc.constantFrom(...NFKC_PAIRS), fc.boolean(), fc.boolean()), {
      minLength: 7,
      maxLength: 24,
    }),
  )
  .map(([first, rest]) => {
    const one = first[0] + rest.map(([pair, a]) => pair[a ? 0 : 1]).join("");
    const other = first[1] + rest.map(([pair, , b]) => pair[b ? 0 : 1]).join("");
    return [one, other] as const;
  });
/** One form of such a pair: text the core normalises before hashing. */
const compatibilityText = nfkcEquivalentPasswords.map(([one]) => one);

/** Values no schema should accept for anything, and strings that stress the parsers. */
const hostile = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
  }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a".repeat(100_000),
    "é".normalize("NFD").repeat(2000),
    "__proto__",
    "\uD800",
    "\uDFFF",
    "a\u0000b",
    "\uDBFF\uDBFF",
    "\uD800abcdefgh",
  ),
  spoiled(fc.string({ maxLength: 40 })),
  spoiled(fc.string({ unit: "grapheme", maxLength: 40 })),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53, null, undefined, true, [], {}),
);

function plausible(w: World) {
  const now = w.clock.now();
  const instant = fc.oneof(
    fc.integer({ min: -10_000, max: 10_000 }).map((minutes) => now.plus({ minutes })),
    fc.constantFrom(now, now.minus({ milliseconds: 1 }), now.plus({ milliseconds: 1 })),
    fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15) }),
    fc.constantFrom(
      "2026-01-05T09:00:00Z",
      "9999-12-31T23:59:59Z",
      "10000-01-01T00:00:00Z",
      "yesterday",
    ),
  );
  const access = fc.oneof(
    fc.constant({ type: "permanent" }),
    fc.record({ type: fc.constant("temporary"), endsAt: fc.oneof(instant, hostile) }),
    fc.record({ type: fc.oneof(fc.constantFrom("temporary", "permanent", "forever"), hostile) }),
  );
  const actor = fc.oneof(
    fc.constant(w.admin),
    fc.constantFrom(
      { type: "system" },
      { type: "operator", operatorId: "op" },
      { type: "account", accountId: "x" },
    ),
    fc.record({ type: fc.constantFrom("account", "operator", "root"), accountId: hostile }),
    fc.record({
      type: fc.constant("operator"),
      operatorId: fc.oneof(fc.string({ maxLength: 20 }), spoiled(fc.constant("support-7"))),
    }),
    spoiled(fc.constantFrom("account", "operator", "system")).map((type) => ({
      type,
      operatorId: "op",
      accountId: "x",
    })),
  );
  const email = fc.oneof(
    fc.emailAddress(),
    fc.constantFrom(
      "person@example.com",
      "admin@example.com",
      "no-at-sign",
      `${"a".repeat(250)}@example.com`,
      "ｐｅｒｓｏｎ@example.com",
    ),
    spoiled(fc.constantFrom("person@example.com", "admin@example.com")),
  );
  const token = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
    fc.string({ maxLength: 80 }),
    fc.constant(`${"A".repeat(22)}.${"B".repeat(43)}`),
    spoiled(fc.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)),
  );
  const password = fc.oneof(
    fc.string({ minLength: 0, maxLength: 12 }),
    fc.string({ unit: "grapheme", minLength: 250, maxLength: 300 }),
    fc.constant("x".repeat(10_000)),
    spoiled(fc.constantFrom("correct horse battery staple", "a long enough password")),
    compatibilityText,
  );
  /** One-line labels: arbitrary, astral and right-to-left, compatibility forms, ill-formed. */
  const label = (maxLength: number) =>
    fc.oneof(
      fc.string({ maxLength }),
      fc.constantFrom("Acme 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎", "לוח בקרה", "لوحة التحكم", "Cafe\u0301", "a\nb"),
      compatibilityText,
      spoiled(fc.constantFrom("Acme", "Firefox on Linux", "לוח בקרה")),
    );
  /** An id-shaped text field (panel, account, browser, message ids), sometimes ill-formed. */
  const id = (good: fc.Arbitrary<string>) => fc.oneof(good, spoiled(good));
  const field = <T>(good: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: hostile });
  const panelId = field(id(fc.constantFrom(w.panelId, "unknown-panel", "")));
  const role = field(
    fc.oneof(
      fc.constantFrom(
        "administrator",
        "analyst",
        "",
        " ",
        "x".repeat(65),
        "<script>",
        "ｅｄｉｔｏｒ",
      ),
      spoiled(fc.constantFrom("administrator", "analyst")),
    ),
  );
  const shaped = (fields: Record<string, fc.Arbitrary<unknown>>) =>
    fc.oneof(
      { weight: 5, arbitrary: fc.record(fields, { requiredKeys: [] }) },
      { weight: 1, arbitrary: hostile },
    );
  const membershipFields = { actor: field(actor), panelId, email: field(email) };
  const code = fc.oneof(
    fc.stringMatching(/^\d{6}$/),
    fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/),
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      "",
      " 123 456 ",
      "12345",
      "1234567",
      "12a456",
      "1".repeat(10_000),
      "１２３４５６",
    ),
    spoiled(fc.stringMatching(/^\d{6}$/)),
  );
  const secondStepFields = {
    challenge: field(token),
    code: field(code),
    rememberBrowser: field(fc.boolean()),
    browserLabel: field(label(120)),
  };
  return {
    createPanel: shaped({
      actor: field(actor),
      name: field(label(300)),
      administratorEmail: field(email),
      settings: field(fc.record({ ssoEnabled: field(fc.boolean()) })),
    }),
    addMember: shaped({ ...membershipFields, role, access: field(access) }),
    reinviteMember: shaped({ ...membershipFields, role, access: field(access) }),
    changeAccess: shaped({ ...membershipFields, role, access: field(access) }),
    resendInvitation: shaped(membershipFields),
    removeMember: shaped(membershipFields),
    listMembers: shaped({ actor: field(actor), panelId }),
    getLivePanels: shaped({
      accountId: field(
        id(fc.constantFrom(w.admin.type === "account" ? w.admin.accountId : "", "x")),
      ),
    }),
    inspectInvitation: shaped({ token: field(token) }),
    register: shaped({ token: field(token), password: field(password) }),
    login: shaped({
      email: field(email),
      password: field(password),
      rememberedBrowserToken: field(token),
    }),
    forgotPassword: shaped({ email: field(email) }),
    inspectPasswordReset: shaped({ token: field(token) }),
    resetPassword: shaped({ token: field(token), password: field(password) }),
    unblockAccount: shaped({ actor: field(actor), email: field(email) }),
    getAccountStatus: fc.oneof(
      shaped({ actor: field(actor), email: field(email) }),
      shaped({ sessionToken: field(token), email: field(email), actor: field(actor) }),
    ),
    validateSession: shaped({ sessionToken: field(token) }),
    logout: shaped({ sessionToken: field(token) }),
    logoutEverywhere: shaped({ sessionToken: field(token) }),
    completeTwoFactorSetup: shaped(secondStepFields),
    verifySecondFactor: shaped(secondStepFields),
    regenerateBackupCodes: shaped({ sessionToken: field(token), password: field(password) }),
    countBackupCodes: shaped({ sessionToken: field(token) }),
    listRememberedBrowsers: shaped({ sessionToken: field(token) }),
    forgetRememberedBrowsers: shaped({
      sessionToken: field(token),
      browserId: field(id(fc.string({ maxLength: 40 }))),
    }),
    resetTwoFactor: shaped(membershipFields),
    supportResetTwoFactor: shaped({ actor: field(actor), email: field(email) }),
    openSsoSession: shaped({ email: field(email), panelId }),
    listMail: shaped({
      actor: field(actor),
      status: field(id(fc.constantFrom("pending", "sent", "failed", "lost"))),
      limit: field(fc.oneof(fc.integer(), fc.double())),
    }),
    retryMail: shaped({ actor: field(actor), messageId: field(id(fc.string({ maxLength: 80 }))) }),
  };
}

type UseCase = keyof ReturnType<typeof plausible>;
const USE_CASES: UseCase[] = [
  "createPanel",
  "addMember",
  "reinviteMember",
  "changeAccess",
  "resendInvitation",
  "removeMember",
  "listMembers",
  "getLivePanels",
  "inspectInvitation",
  "register",
  "login",
  "forgotPassword",
  "inspectPasswordReset",
  "resetPassword",
  "unblockAccount",
  "getAccountStatus",
  "validateSession",
  "logout",
  "logoutEverywhere",
  "completeTwoFactorSetup",
  "verifySecondFactor",
  "regenerateBackupCodes",
  "countBackupCodes",
  "listRememberedBrowsers",
  "forgetRememberedBrowsers",
  "resetTwoFactor",
  "supportResetTwoFactor",
  "openSsoSession",
  "listMail",
  "retryMail",
];

/** LCK-1: a failed login is a refusal that counts a failure; every other refusal changes nothing. */
const REFUSALS_THAT_COUNT = new Set(["LOGIN_FAILED"]);

describe("INP-1: every entry point refuses bad input with a typed error, never throws, never changes state", () => {
  afterAll(() => {
    console.log(`INP-1 fuzz: ${inputsRun} generated inputs over ${USE_CASES.length} entry points`);
  });
  for (const useCase of USE_CASES) {
    it(
      `INP-1: ${useCase} never throws; a refusal changes nothing and sends nothing`,
      async () => {
        const w = await worldWithPanel();
        await w.invite("person@example.com");
        const call = w.panelAccess[useCase] as unknown as (
          input: unknown,
        ) => PromiseLike<Result<unknown, { type: string }>>;
        let refused = 0;
        await fc.assert(
          fc.asyncProperty(plausible(w)[useCase], async (input) => {
            inputsRun++;
            const before = w.store.snapshot();
            const mailBefore = w.mailer.sent.length;
            const eventsBefore = w.events.events.length;
            const result = await call(input);
            await w.panelAccess.settled();
            if (result.isErr()) {
              refused++;
              expect(typeof result.error.type).toBe("string");
              expect(result.error.type).not.toBe("STORAGE_FAILED");
              if (REFUSALS_THAT_COUNT.has(result.error.type)) return;
              expect(w.store.snapshot()).toEqual(before);
              expect(w.mailer.sent.length).toBe(mailBefore);
              expect(w.events.events.length).toBe(eventsBefore);
            }
          }),
          { numRuns: RUNS_PER_USE_CASE },
        );
        // The fuzz must mostly reach the refusal paths (the lowest use case refuses about 60 %).
        expect(refused).toBeGreaterThan(RUNS_PER_USE_CASE / 4);
      },
      Math.max(600_000, RUNS_PER_USE_CASE * 20),
    );
  }

  it("INP-1, PWD-1: an oversized password is refused before any hashing", async () => {
    let hashed = 0;
    const w = await worldWithPanel();
    const { token } = await w.invite("person@example.com");
    const { createPanelAccess } = await import("@panel-access/core");
    const counting = createPanelAccess(
      {
        store: w.store,
        clock: w.clock,
        mailer: w.mailer,
        passwordHasher: {
          hash: async () => {
            hashed++;
            return "never";
          },
          verify: async () => false,
        },
      },
      { appUrl: "https://app.example.test", twoFactor: testTwoFactorOptions() },
    );
    for (const password of ["x".repeat(257), "😀".repeat(257), "short", "x".repeat(1_000_000)]) {
      const result = await counting.register({ token: token ?? "", password });
      expect(result._unsafeUnwrapErr().type).toBe("INVALID_INPUT");
    }
    // 256 astral code points, varied so that PWD-6 does not refuse them as repetitive.
    const emoji = Array.from({ length: 256 }, (_, i) => String.fromCodePoint(0x1f600 + (i % 64)));
    const atLimit = await counting.register({ token: token ?? "", password: emoji.join("") });
    expect(atLimit.isOk()).toBe(true);
    expect(hashed).toBe(1);
  });

  it("INP-1: the error lists where the input was wrong, without echoing it", async () => {
    const w = await worldWithPanel();
    const secret = "my secret password that is far too long ".repeat(10);
    const result = await w.panelAccess.register({ token: "nope", password: secret });
    const error = result._unsafeUnwrapErr();
    expect(error.type).toBe("INVALID_INPUT");
    expect(error.type === "INVALID_INPUT" && error.issues.map((i) => i.path[0]).sort()).toEqual([
      "password",
      "token",
    ]);
    expect(JSON.stringify(error)).not.toContain("my secret");
  });

  it("INP-1: dates outside luxon's or a database's range are refused", async () => {
    const w = await worldWithPanel();
    for (const endsAt of [
      "10000-01-01T00:00:00Z",
      new Date(Number.NaN),
      DateTime.invalid("bad"),
      "2026-13-01T00:00:00Z",
    ]) {
      const result = await w.panelAccess.addMember({
        actor: w.admin,
        panelId: w.panelId,
        email: "someone@example.com",
        role: "analyst",
        access: { type: "temporary", endsAt: endsAt as string },
      });
      expect(result._unsafeUnwrapErr().type).toBe("INVALID_INPUT");
    }
  });
});

/** Entry points that take no input: nothing to validate. */
const TAKE_NO_INPUT = new Set(["dispatchMail", "settled"]);

/** The entry points of a `createPanelAccess(...)` that take an input, sorted. */
function entryPointsOf(panelAccess: object): string[] {
  return Object.entries(panelAccess)
    .filter(([name, value]) => typeof value === "function" && !TAKE_NO_INPUT.has(name))
    .map(([name]) => name)
    .sort();
}

type Call = (input: unknown) => PromiseLike<Result<unknown, { type: string; issues?: unknown }>>;
const callOf = (w: World, useCase: UseCase) => w.panelAccess[useCase] as unknown as Call;

/** Where a text field sits in an input: its keys from the top. */
type Path = readonly string[];

/** Every text field of a value, nested ones included (`actor.operatorId`, `access.endsAt`). */
function textPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value === "string") return [path];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => textPaths(inner, [...path, key]));
}

function textAt(value: unknown, path: Path): string {
  const found = path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], value);
  if (typeof found !== "string") throw new Error(`no text at ${path.join(".")}`);
  return found;
}

/** A copy of `value` whose field at `path` holds `text`. */
function withText(value: unknown, path: Path, text: string): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return text;
  const record = value as Record<string, unknown>;
  return { ...record, [key]: withText(record[key], rest, text) };
}

/**
 * A world in which every entry point has an input that passes validation and
 * would do something (an invitation, a reset link, a setup challenge, a
 * second-step challenge with a right code, a session), with every optional
 * text field filled in, and those inputs.
 */
async function worldWithValidInputs() {
  const w = await worldWithPanel();
  const operator = { type: "operator", operatorId: "support-7" } as const;
  const { token: invitation } = await w.invite("invitee@example.com");
  await w.member("member@example.com");
  await w.panelAccess.forgotPassword({ email: "member@example.com" });
  await w.panelAccess.settled();
  const resetToken = resetTokenOf(w, "member@example.com");
  const setup = await w.passwordStep("member@example.com");
  if (setup.next !== "secondFactorSetup") expect.fail(`expected a setup, got ${setup.next}`);
  const enrolled = await w.enrolled("enrolled@example.com");
  const step = await w.secondFactorStep("enrolled@example.com");
  const sessionToken = enrolled.session.sessionToken;
  const access = { type: "temporary", endsAt: w.clock.now().plus({ days: 30 }).toISO() };
  const secondStep = {
    rememberBrowser: true,
    browserLabel: "Firefox on Linux",
    clientAddress: "192.0.2.44",
  };
  const inputs: Record<UseCase, object> = {
    createPanel: {
      actor: operator,
      name: "Globex",
      administratorEmail: "boss@example.com",
      settings: { ssoEnabled: true },
    },
    addMember: {
      actor: w.admin,
      panelId: w.panelId,
      email: "new@example.com",
      role: "analyst",
      access,
    },
    reinviteMember: {
      actor: w.admin,
      panelId: w.panelId,
      email: "invitee@example.com",
      role: "analyst",
      access,
    },
    changeAccess: {
      actor: w.admin,
      panelId: w.panelId,
      email: "member@example.com",
      role: "editor",
      access,
    },
    resendInvitation: { actor: w.admin, panelId: w.panelId, email: "invitee@example.com" },
    removeMember: { actor: w.admin, panelId: w.panelId, email: "member@example.com" },
    listMembers: { actor: w.admin, panelId: w.panelId },
    getLivePanels: { accountId: enrolled.actor.accountId },
    inspectInvitation: { token: invitation },
    register: { token: invitation, password: PASSWORD, clientAddress: "2001:db8::7" },
    login: {
      email: "enrolled@example.com",
      password: PASSWORD,
      rememberedBrowserToken: `${"A".repeat(22)}.${"B".repeat(43)}`,
      clientAddress: "203.0.113.9",
    },
    forgotPassword: { email: "member@example.com", clientAddress: "198.51.100.4" },
    inspectPasswordReset: { token: resetToken },
    resetPassword: { token: resetToken, password: PASSWORD },
    unblockAccount: { actor: operator, email: "member@example.com" },
    getAccountStatus: { actor: operator, email: "member@example.com" },
    validateSession: { sessionToken },
    logout: { sessionToken },
    logoutEverywhere: { sessionToken },
    completeTwoFactorSetup: { challenge: setup.challenge, code: "123456", ...secondStep },
    verifySecondFactor: { challenge: step.challenge, code: enrolled.app.code(), ...secondStep },
    regenerateBackupCodes: { sessionToken, password: PASSWORD },
    countBackupCodes: { sessionToken },
    listRememberedBrowsers: { sessionToken },
    forgetRememberedBrowsers: { sessionToken, browserId: "rb_unknown" },
    resetTwoFactor: { actor: w.admin, panelId: w.panelId, email: "enrolled@example.com" },
    supportResetTwoFactor: { actor: operator, email: "enrolled@example.com" },
    openSsoSession: { email: "member@example.com", panelId: w.panelId },
    listMail: { actor: operator, status: "failed", limit: 10 },
    retryMail: { actor: operator, messageId: "msg_unknown" },
  };
  return { w, inputs };
}

/** What the stores, the mailer and the event sink hold: a refusal must leave it as it was. */
function stateOf(w: World) {
  return { store: w.store.snapshot(), mail: w.mailer.sent.length, events: w.events.events.length };
}

describe("INP-1 v2: NUL or a lone surrogate in any text field of any entry point is INVALID_INPUT and changes nothing", () => {
  let illFormedRun = 0;
  let fieldsCovered = 0;
  afterAll(() => {
    console.log(
      `INP-1 v2: ${illFormedRun} ill-formed inputs over ${fieldsCovered} text fields of ${USE_CASES.length} entry points`,
    );
  });

  /**
   * Spoils one of `paths` (text fields of the entry point's valid input) at a
   * time: an ill-formed unit inserted anywhere in the valid value, or in other
   * text. Each must be INVALID_INPUT naming that field, and change nothing.
   */
  async function spoilEachField(useCase: UseCase) {
    const { w, inputs } = await worldWithValidInputs();
    const valid = inputs[useCase];
    const call = callOf(w, useCase);
    const paths = textPaths(valid);
    expect(paths.length).toBeGreaterThan(0);
    fieldsCovered += paths.length;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          path: fc.constantFrom(...paths),
          at: fc.nat(),
          unit: illFormedUnit,
          /** Mostly the field's valid value, spoiled; sometimes other text, spoiled. */
          instead: fc.option(fc.string({ maxLength: 30 }), { freq: 4 }),
        }),
        async ({ path, at, unit, instead }) => {
          illFormedRun++;
          const text = spoil(instead ?? textAt(valid, path), at, unit);
          expect(isIllFormed(text)).toBe(true);
          const before = stateOf(w);
          const result = await call(withText(valid, path, text));
          await w.panelAccess.settled();
          const where = `${useCase}: ${path.join(".")} = ${JSON.stringify(text)}`;
          expect(result.isErr() ? result.error.type : "ok", where).toBe("INVALID_INPUT");
          const issues = result.isErr() ? (result.error.issues as { path: unknown[] }[]) : [];
          expect(
            issues.some((issue) => issue.path[0] === path[0]),
            where,
          ).toBe(true);
          expect(stateOf(w), where).toEqual(before);
        },
      ),
      { numRuns: ILL_FORMED_RUNS },
    );
    // The same input, unspoiled, passes validation: the refusals were the spoiled text's.
    const unspoiled = await call(valid);
    expect(unspoiled.isErr() ? unspoiled.error.type : "ok").not.toBe("INVALID_INPUT");
  }

  it("INP-1: the fuzz and this property cover every entry point that takes an input", async () => {
    const w = await worldWithPanel();
    expect([...USE_CASES].sort()).toEqual(entryPointsOf(w.panelAccess));
  });

  for (const useCase of USE_CASES) {
    it(`INP-1 v2: ${useCase}: each text field, spoiled with NUL or a lone surrogate, is INVALID_INPUT`, () =>
      spoilEachField(useCase));
  }
});

describe("PWD-1 v2: passwords are compared after NFKC; ill-formed ones are refused", () => {
  let pairsRun = 0;
  let illFormedPasswords = 0;
  afterAll(() => {
    console.log(
      `PWD-1 v2: ${pairsRun} NFKC-equivalent password pairs (registered, reset, logged in with); ${illFormedPasswords} ill-formed passwords`,
    );
  });

  it("PWD-1 v2: NFKC-equivalent passwords are the same password", async () => {
    const w = await worldWithPanel();
    let people = 0;
    await fc.assert(
      fc.asyncProperty(
        nfkcEquivalentPasswords,
        nfkcEquivalentPasswords,
        async ([registered, typed], [reset, retyped]) => {
          pairsRun++;
          expect(typed).not.toBe(registered);
          expect(typed.normalize("NFKC")).toBe(registered.normalize("NFKC"));
          const email = `nfkc-${people++}@example.com`;
          const { token } = await w.invite(email);
          const registration = await w.panelAccess.register({
            token: token ?? "",
            password: registered,
          });
          expect(registration.isOk()).toBe(true);
          const login = await w.panelAccess.login({ email, password: typed });
          expect(login.isOk() && login.value.next).toBe("secondFactorSetup");

          await w.panelAccess.forgotPassword({ email });
          await w.panelAccess.settled();
          const token2 = resetTokenOf(w, email);
          const resetting = await w.panelAccess.resetPassword({ token: token2, password: reset });
          expect(resetting.isOk()).toBe(true);
          const relogin = await w.panelAccess.login({ email, password: retyped });
          expect(relogin.isOk() && relogin.value.next).toBe("secondFactorSetup");
          // And a password that is not equivalent is still wrong.
          if (registered.normalize("NFKC") !== reset.normalize("NFKC")) {
            const old = await w.panelAccess.login({ email, password: typed });
            expect(old.isErr() && old.error.type).toBe("LOGIN_FAILED");
          }
        },
      ),
      {
        numRuns: NFKC_RUNS,
        examples: [
          [
            ["ｐａｓｓｗｏｒｄ ｇａｒｄｅｎ１２３", "password garden123"],
            ["\ufb01nal answer²", "final answer2"],
          ],
          [
            ["Ⅸ ｋｎｉｇｈｔｓ ㎏", "IX knights kg"],
            ["\u212bngstr\u00f6m e\u0301te\u0301", "\u00c5ngstro\u0308m \u00e9t\u00e9"],
          ],
        ],
      },
    );
  });

  it("PWD-1 v2: a password differing only by ill-formed input is refused as INVALID_INPUT (even where UTF-8 would make it U+FFFD)", async () => {
    const w = await worldWithPanel();
    // A lone surrogate becomes U+FFFD when encoded as UTF-8: this password
    // holds U+FFFD, so a lone surrogate in its place would hash alike if it
    // were let through.
    const password = "pass\ufffdword \ufffd 1";
    const email = "replacement@example.com";
    const { token } = await w.invite(email);
    (await w.panelAccess.register({ token: token ?? "", password }))._unsafeUnwrap();
    const step = (await w.panelAccess.login({ email, password }))._unsafeUnwrap();
    if (step.next !== "secondFactorSetup") expect.fail(`expected a setup, got ${step.next}`);
    const app = scan(step.setup.uri, w.clock);
    const done = (
      await w.panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code: app.code() })
    )._unsafeUnwrap();
    await w.panelAccess.forgotPassword({ email });
    await w.panelAccess.settled();
    const resetToken = resetTokenOf(w, email);
    const { token: invitation } = await w.invite("invitee@example.com");
    const inputs = {
      login: (typed: string) => ({ email, password: typed }),
      register: (typed: string) => ({ token: invitation, password: typed }),
      resetPassword: (typed: string) => ({ token: resetToken, password: typed }),
      regenerateBackupCodes: (typed: string) => ({
        sessionToken: done.session.sessionToken,
        password: typed,
      }),
    } as const;
    const surrogateForReplacement = fc
      .tuple(fc.boolean(), fc.integer({ min: 0xd800, max: 0xdfff }))
      .map(([first, unit]) => {
        const i = first ? password.indexOf("\ufffd") : password.lastIndexOf("\ufffd");
        return password.slice(0, i) + String.fromCharCode(unit) + password.slice(i + 1);
      });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(inputs) as (keyof typeof inputs)[])),
        fc.oneof(
          surrogateForReplacement,
          spoiled(fc.constant(password)),
          fc.constantFrom("\uD800abcdefgh", "abcdefgh\u0000", "\uDFFFabcdefgh"),
        ),
        async (useCase, typed) => {
          illFormedPasswords++;
          expect(isIllFormed(typed)).toBe(true);
          const before = stateOf(w);
          const result = await callOf(w, useCase)(inputs[useCase](typed));
          await w.panelAccess.settled();
          const where = `${useCase}: password = ${JSON.stringify(typed)}`;
          expect(result.isErr() ? result.error.type : "ok", where).toBe("INVALID_INPUT");
          // A refused login counted no failure: nothing changed.
          expect(stateOf(w), where).toEqual(before);
        },
      ),
      { numRuns: Math.max(100, ILL_FORMED_RUNS) },
    );
    // The password itself still works; no refusal locked or changed anything.
    const login = await w.panelAccess.login({ email, password });
    expect(login.isOk() && login.value.next).toBe("secondFactor");
  });
});
