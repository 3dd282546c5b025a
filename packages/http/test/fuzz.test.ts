import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ERROR_STATUS, type PanelAccessHttp, type Route } from "../src/index.js";
import { ADMIN, PUBLIC_URL, signIn, site } from "./harness.js";

/**
 * INP-1 on the wire: whatever arrives (any method, path, headers, body),
 * `http.handle` answers a well-formed JSON `Response` and never throws; a
 * refusal changes nothing in the store. `pnpm verify:deep` multiplies the
 * runs by `FUZZ_SCALE`.
 */
const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const RUNS = 300 * FUZZ_SCALE;
const SEED = 20_261_207;

const BASE = "/api/auth";
const ROUTE_PATHS = [
  "/login",
  "/login/second-factor",
  "/login/setup",
  "/session",
  "/logout",
  "/logout-everywhere",
  "/account",
  "/activity",
  "/invitations/inspect",
  "/register",
  "/password/forgot",
  "/password/inspect",
  "/password/reset",
  "/settings/backup-codes",
  "/settings/browsers",
  "/settings/browsers/forget",
  "/panels/{panelId}/members",
  "/panels/{panelId}/members/change",
  "/panels/{panelId}/members/reinvite",
  "/panels/{panelId}/members/resend-invitation",
  "/panels/{panelId}/members/remove",
  "/panels/{panelId}/members/reset-two-factor",
  "/panels/{panelId}/activity",
  "/openapi.json",
];

/** Text a header value may hold (visible ASCII and spaces: what `Headers` takes). */
const headerText = (maxLength: number) =>
  fc
    .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength })
    .map((codes) => String.fromCharCode(...codes).trim());

/** Methods: the usual, lower-case ones, and any other token (not those `Request` forbids). */
const method = fc.oneof(
  fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"),
  fc.constantFrom("get", "post", "delete", "Post", "PROPFIND", "M-SEARCH", "LOCK"),
  fc
    .stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/)
    .filter((m) => !["CONNECT", "TRACE", "TRACK"].includes(m.toUpperCase())),
);

/** A path parameter: the real panel's id, one of the right shape, or junk. */
const param = (panelId: string) =>
  fc.oneof(
    fc.constant(panelId),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    fc.string({ maxLength: 80 }).map(encodeURIComponent),
    fc.constantFrom("", "..", "%00", "%2F", "a%2Fb", "x".repeat(65), "%ZZ", "é"),
  );

/** A query: the activity routes' fields, well or ill chosen, or anything; or none. */
const query = fc.option(
  fc.oneof(
    fc.constantFrom(
      "limit=5",
      "limit=0",
      "limit=999999",
      "limit=-1",
      "from=2026-01-01T00:00:00Z",
      "from=yesterday",
      "types=login.failed,x",
      "cursor=abc",
      "limit=5&limit=6",
    ),
    fc.string({ maxLength: 60 }).map(encodeURIComponent),
    fc
      .dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }))
      .map((q) => new URLSearchParams(q).toString()),
  ),
  { nil: undefined },
);

/** Paths: the routes, the base path's neighbours, encoded junk, very long ones; maybe a query. */
const path = (panelId: string) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...ROUTE_PATHS).map((p) => `${BASE}${p}`) },
        {
          weight: 4,
          arbitrary: fc
            .tuple(fc.constantFrom(...ROUTE_PATHS), param(panelId))
            .map(([p, id]) => `${BASE}${p.replace("{panelId}", id)}`),
        },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            "",
            "/",
            "/api",
            "/api/auth",
            "/api/auth/",
            "/api/authx/login",
            "/API/AUTH/login",
            "/api/auth//login",
            "/api/auth/login/",
            "/api/auth/./login",
            "/api/auth/../auth/session",
            "/other/login",
            "/api/auth/openapi.json/x",
          ),
        },
        {
          weight: 2,
          arbitrary: fc
            .array(fc.oneof(fc.string({ maxLength: 20 }), param(panelId)), { maxLength: 6 })
            .map((parts) => `${BASE}/${parts.map(encodeURIComponent).join("/")}`),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom("a", "%41", "/x", "%FF"), fc.integer({ min: 1000, max: 20000 }))
            .map(([unit, times]) => `${BASE}/${unit.repeat(times)}`),
        },
      ),
      query,
    )
    .map(([p, query]) => (query === undefined ? p : `${p}?${query}`));

/** A header that is usually sent as a browser would, sometimes oddly, sometimes not at all. */
const usually = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 6, arbitrary: usual },
    { weight: 2, arbitrary: odd },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
/** …or usually not sent at all. */
const rarely = <T>(odd: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: odd });

/** Headers: content types, origins (ours, forged, none), cookies (real, junk), length lies. */
const headers = (realCookies: () => string) =>
  fc
    .record({
      "content-type": usually(
        fc.constantFrom("application/json", "application/json; charset=utf-8"),
        fc.oneof(
          fc.constantFrom(
            "APPLICATION/JSON",
            "application/json;charset=latin1",
            "application/jsonx",
            "application/ld+json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "",
          ),
          headerText(40),
        ),
      ),
      origin: usually(
        fc.constant(PUBLIC_URL),
        fc.constantFrom(
          "https://evil.example",
          "null",
          "http://app.example.test",
          "https://app.example.test.evil.example",
          "https://app.example.test:8443",
        ),
      ),
      "sec-fetch-site": rarely(
        fc.constantFrom("same-origin", "same-site", "cross-site", "none", "x"),
      ),
      cookie: usually(
        fc.constant("real"),
        fc.oneof(
          headerText(200),
          fc
            .tuple(
              fc.constantFrom(
                "__Host-pa_session",
                "__Host-pa_challenge",
                "__Host-pa_browser",
                "pa_session",
              ),
              fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.-]{0,140}$/), headerText(60)),
            )
            .map(([name, value]) => `${name}=${value}`),
        ),
      ),
      "content-length": rarely(
        fc.oneof(
          fc.constantFrom("0", "1", "-1", "abc", "1e3", "99999999", "16385", " 5", "Infinity"),
          fc.nat().map(String),
        ),
      ),
      "user-agent": rarely(headerText(300)),
      "x-forwarded-for": rarely(fc.oneof(fc.ipV4(), fc.ipV6(), headerText(40))),
      "transfer-encoding": rarely(fc.constantFrom("chunked", "gzip")),
    })
    .map((h) => {
      const sent: Record<string, string> = {};
      for (const [name, value] of Object.entries(h)) {
        if (value === undefined) continue;
        const actual = value === "real" ? realCookies() : value;
        if (actual !== "") sent[name] = actual;
      }
      return sent;
    });

/** A body field's value: the right kind or not, well or ill chosen. */
const fieldValue = fc.oneof(
  fc.constantFrom(ADMIN.email, ADMIN.password, "someone@example.test", "", "123456", "viewer"),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    { type: "permanent" },
    { type: "temporary", endsAt: "2030-01-01T00:00:00Z" },
    { type: "temporary", endsAt: "2000-01-01T00:00:00Z" },
    { type: "forever" },
    "administrator",
    true,
  ),
);
const FIELDS = [
  "email",
  "password",
  "token",
  "code",
  "rememberBrowser",
  "role",
  "access",
  "browserId",
  "__proto__",
  "constructor",
];

/** A body for `route`: its own fields (some, all, or with others), as JSON. */
const bodyFor = (route: Route) => {
  const own = Object.keys((route.body as z.ZodObject | undefined)?.shape ?? {});
  const fields = Object.fromEntries(own.map((name) => [name, fieldValue]));
  return fc
    .tuple(
      fc.oneof(fc.record(fields), fc.record(fields, { requiredKeys: [] })),
      fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 1 }),
    )
    .map(([mine, more]) => JSON.stringify({ ...more, ...mine }));
};

/** Bodies of any route: JSON of any value, route-shaped JSON, ill-formed UTF-8, broken JSON, huge. */
const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  {
    weight: 3,
    arbitrary: fc
      .dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 4 })
      .map((o) => JSON.stringify(o)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom([0xff], [0xc3, 0x28], [0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80]),
      )
      .map(([bytes, bad]) => new Uint8Array([0x7b, 0x22, ...bytes, ...bad, 0x22, 0x7d])),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("{", "[1,", '{"email":', "nul", "\u0000", "{}{}", '"\\ud800"', " "),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 16_000, max: 70_000 })
      .map((n) => JSON.stringify({ email: "a".repeat(n), password: "b" })),
  },
);

/** A refusal's body. */
const errorBody = z.object({
  error: z.looseObject({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS]),
    message: z.string().min(1),
  }),
});

/** The route `handle` sends a request to: same method, its path under the base path. */
function routeOf(http: PanelAccessHttp, method: string, pathname: string): Route | undefined {
  return http.routes.find(
    (r) =>
      r.method === method &&
      new RegExp(
        `^${`${http.options.basePath}${r.path}`.replace(/\{[^}]+\}/g, "[A-Za-z0-9_-]{1,64}")}$`,
      ).test(pathname),
  );
}

/** Refusals that record the failed attempt (LCK-1, LCK-9, TFA-3, AUD-1): they may write that much. */
const RECORDS_ATTEMPT = new Set(["LOGIN_FAILED", "TOO_MANY_ATTEMPTS"]);

describe("INP-1: the JSON API under random requests", () => {
  it(
    "INP-1: handle never throws; every answer is well-formed JSON with its documented status; a refusal changes nothing",
    async () => {
      const s = await site();
      const admin = s.browser();
      const { app } = await signIn(s, admin);
      const realCookies = () => [...admin.cookies].map(([n, v]) => `${n}=${v}`).join("; ");
      /** The admin browser signs in again when a request ended its session (outside the checks). */
      const keepSignedIn = async () => {
        if ((await s.http.getSession(new Headers({ cookie: realCookies() }))) !== undefined) return;
        s.clock.advance({ seconds: 30 });
        const login = await admin.send("POST", "/login", ADMIN);
        if (login.body?.next === "secondFactor" && app !== undefined)
          await admin.send("POST", "/login/second-factor", { code: app.code() });
        await s.panelAccess.settled();
      };
      const document = JSON.stringify(s.http.openapi());
      const seen = new Map<number, number>();

      // Most requests aim at a route (its method, its path, its fields); the rest go anywhere.
      const targeted = fc.constantFrom(...s.http.routes).chain((route) =>
        fc.record({
          verb: fc.oneof(
            { weight: 9, arbitrary: fc.constant(route.method) },
            { weight: 1, arbitrary: method },
          ),
          target: fc
            .tuple(
              fc.oneof(
                { weight: 4, arbitrary: fc.constant(s.panelId) },
                { weight: 1, arbitrary: param(s.panelId) },
              ),
              query,
            )
            .map(
              ([id, q]) =>
                `${BASE}${route.path.replace("{panelId}", id)}${q === undefined ? "" : `?${q}`}`,
            ),
          payload: fc.oneof(
            { weight: 3, arbitrary: bodyFor(route) },
            { weight: 1, arbitrary: body },
          ),
        }),
      );
      const wild = fc.record({ verb: method, target: path(s.panelId), payload: body });

      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ weight: 3, arbitrary: targeted }, { weight: 1, arbitrary: wild }),
          headers(realCookies),
          fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant("not an address")), {
            nil: undefined,
          }),
          async ({ verb, target, payload }, sent, socketAddress) => {
            await keepSignedIn();
            const canHaveBody = !["GET", "HEAD"].includes(verb.toUpperCase());
            const request = new Request(`${PUBLIC_URL}${target}`, {
              method: verb,
              headers: sent,
              ...(canHaveBody && payload !== undefined && { body: payload }),
            });
            const before = s.store.snapshot();
            let response: Response;
            try {
              response = await s.http.handle(request, { socketAddress });
            } catch (error) {
              throw new Error(`handle threw on ${verb} ${target}: ${String(error)}`);
            }
            await s.panelAccess.settled();
            const where = `${verb} ${target.slice(0, 200)} → ${response.status}`;
            expect(response.status, where).toBeGreaterThanOrEqual(100);
            expect(response.status, where).toBeLessThanOrEqual(599);
            seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
            expect(response.headers.get("cache-control"), where).toBe("no-store");
            expect(response.headers.get("x-content-type-options"), where).toBe("nosniff");
            const text = await response.text();
            const pathname = new URL(request.url).pathname;
            if (text === "") {
              // No body: only a success the route documents without one (204, forgotPassword's 202).
              expect(response.headers.get("content-type"), where).toBeNull();
              const route = routeOf(s.http, request.method, pathname);
              expect(route?.answers[response.status], where).toBeDefined();
              expect(route?.answers[response.status]?.schema, where).toBeUndefined();
              return;
            }
            expect(response.status, where).not.toBe(204);
            expect(response.headers.get("content-type"), where).toBe(
              "application/json; charset=utf-8",
            );
            const answer = JSON.parse(text) as unknown;
            if (response.status >= 400) {
              const refused = errorBody.safeParse(answer);
              expect(refused.success, `${where}: ${text.slice(0, 300)}`).toBe(true);
              const code = refused.data?.error.code as keyof typeof ERROR_STATUS;
              expect(response.status, `${where} ${code}`).toBe(ERROR_STATUS[code]);
              if (code === "METHOD_NOT_ALLOWED")
                expect(response.headers.get("allow"), where).toMatch(/^(GET|POST|DELETE)/);
              if (code === "TOO_MANY_ATTEMPTS")
                expect(response.headers.get("retry-after"), where).toMatch(/^\d+$/);
              const after = s.store.snapshot() as Record<string, unknown>;
              if (RECORDS_ATTEMPT.has(code)) {
                // Only the attempt is recorded: no session, membership, code or browser changes.
                const kept = (snapshot: unknown) => {
                  const { panels, memberships, sessions, backupCodes, rememberedBrowsers } =
                    snapshot as Record<string, unknown>;
                  return { panels, memberships, sessions, backupCodes, rememberedBrowsers };
                };
                expect(kept(after), `${where} ${code}`).toEqual(kept(before));
              } else {
                expect(after, `${where} ${code}: the store changed`).toEqual(before);
              }
              return;
            }
            expect(response.status, where).toBeLessThan(300);
            if (pathname === `${BASE}/openapi.json`) {
              expect(text, where).toBe(document);
              return;
            }
            const route = routeOf(s.http, request.method, pathname);
            expect(route, where).toBeDefined();
            const schema = route?.answers[response.status]?.schema;
            expect(schema, `${where}: no documented body`).toBeDefined();
            const fits = schema?.safeParse(answer);
            expect(fits?.success, `${where}: ${fits?.error?.message}`).toBe(true);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
      // The fuzzing reached past the routing: refusals of several kinds, and some answers.
      expect([...seen.keys()].filter((status) => status >= 400).length).toBeGreaterThanOrEqual(5);
      expect([...seen.keys()].some((status) => status < 300)).toBe(true);
    },
    30_000 * FUZZ_SCALE,
  );
});
