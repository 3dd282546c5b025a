import fc from "fast-check";
import type { Result } from "neverthrow";
import { compatibilityText, spoiled } from "./ill-formed.js";
import type { World } from "./world.js";

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

/**
 * For each entry point that takes an input, an arbitrary of what a caller
 * might send it: mostly plausible fields, some hostile values (INP-1's fuzz).
 */
export function plausible(w: World) {
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
  /** AUD-2: a listing's window, kinds, cursor and page size. */
  const activityFilters = {
    from: field(instant),
    to: field(instant),
    types: field(
      fc.array(
        fc.oneof(
          fc.constantFrom("login.failed", "membership.granted", "no.such.type", ""),
          spoiled(fc.constant("login.failed")),
        ),
        { maxLength: 4 },
      ),
    ),
    cursor: field(id(fc.oneof(fc.base64String({ maxLength: 60 }), fc.string({ maxLength: 40 })))),
    limit: field(fc.oneof(fc.integer({ min: -5, max: 300 }), fc.double())),
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
    listPanelActivity: shaped({ actor: field(actor), panelId, ...activityFilters }),
    listSecurityActivity: shaped({ sessionToken: field(token), ...activityFilters }),
    listAllActivity: shaped({
      actor: field(actor),
      accountEmail: field(email),
      panelId,
      ...activityFilters,
    }),
  };
}

export type UseCase = keyof ReturnType<typeof plausible>;
export const USE_CASES: UseCase[] = [
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
  "listPanelActivity",
  "listSecurityActivity",
  "listAllActivity",
];

/** An entry point called with any input. */
export type Call = (
  input: unknown,
) => PromiseLike<Result<unknown, { type: string; issues?: unknown }>>;
/** The entry point `useCase` of the world's library, to call with any input. */
export const callOf = (w: World, useCase: UseCase) => w.panelAccess[useCase] as unknown as Call;
