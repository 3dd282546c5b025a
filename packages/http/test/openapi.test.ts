import { readFile } from "node:fs/promises";
import { scan } from "@panel-access/testkit";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { PanelAccessHttp, Route } from "../src/index.js";
import { ERROR_STATUS } from "../src/index.js";
import { ADMIN, Browser, linkToken, PUBLIC_URL, site } from "./harness.js";

/**
 * INP-1: the OpenAPI document says what the JSON API takes and answers. It
 * is a valid OpenAPI 3.1 document, lists exactly the routes, matches the
 * committed `packages/http/openapi.json`, and every answer a full signed-in
 * flow receives fits the schema it documents.
 */

const REGENERATE =
  "pnpm --filter @panel-access/http exec tsx --conditions=@panel-access/source scripts/write-openapi.ts";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every documented operation: `METHOD path` → operation. */
function operationsOf(document: ReturnType<PanelAccessHttp["openapi"]>) {
  const operations = new Map<string, Record<string, unknown>>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (METHODS.includes(method))
        operations.set(`${method.toUpperCase()} ${path}`, operation as Record<string, unknown>);
    }
  }
  return operations;
}

/** The route a request reached (by method and path), if any. */
function routeOf(http: PanelAccessHttp, method: string, pathname: string): Route | undefined {
  return http.routes.find((route) => {
    const pattern = `${http.options.basePath}${route.path}`.replace(
      /\{[^}]+\}/g,
      "[A-Za-z0-9_-]{1,64}",
    );
    return route.method === method && new RegExp(`^${pattern}$`).test(pathname);
  });
}

describe("INP-1: the OpenAPI document", () => {
  it("INP-1: is a valid OpenAPI 3.1 document (@readme/openapi-parser)", async () => {
    const { http } = await site();
    const document = http.openapi();
    expect(document.openapi).toBe("3.1.0");
    // The parser dereferences in place: hand it a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("INP-1: documents every route once, and nothing that is not a route", async () => {
    const { http } = await site();
    const operations = operationsOf(http.openapi());
    const routes = http.routes.map((r) => `${r.method} ${http.options.basePath}${r.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    expect([...operations.keys()].sort()).toEqual([...routes].sort());
    const ids = [...operations.values()].map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of http.routes) {
      const operation = operations.get(`${route.method} ${http.options.basePath}${route.path}`);
      expect(operation?.operationId).toBe(route.id);
      // Path parameters: exactly the {names} of the path.
      const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = ((operation?.parameters ?? []) as { in: string; name: string }[])
        .filter((p) => p.in === "path")
        .map((p) => p.name);
      expect(declared, route.id).toEqual(inPath);
      // Every success status the route answers is documented, and each refusal's status too.
      const responses = operation?.responses as Record<string, unknown>;
      for (const status of Object.keys(route.answers))
        expect(responses, route.id).toHaveProperty(status);
      for (const code of route.errors)
        expect(responses, `${route.id} ${code}`).toHaveProperty(
          String(ERROR_STATUS[code as keyof typeof ERROR_STATUS]),
        );
    }
  });

  it("INP-1: is served at basePath + /openapi.json, also under another base path", async () => {
    const { http } = await site();
    const response = await http.handle(new Request(`${PUBLIC_URL}/api/auth/openapi.json`));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(http.openapi());
    const other = await site({ basePath: "/auth/v1" });
    const paths = Object.keys(other.http.openapi().paths);
    expect(paths.length).toBe(Object.keys(http.openapi().paths).length);
    for (const path of paths) expect(path.startsWith("/auth/v1/")).toBe(true);
  });

  it("INP-1: the committed packages/http/openapi.json is the document the code builds", async () => {
    const { http } = await site();
    const committed = JSON.parse(
      await readFile(new URL("../openapi.json", import.meta.url), "utf8"),
    ) as unknown;
    // Through JSON, as the file is: what a client of the served document reads.
    const built = JSON.parse(JSON.stringify(http.openapi())) as unknown;
    expect(
      committed,
      `packages/http/openapi.json is stale: regenerate it from /work/main with \`${REGENERATE}\` and commit it`,
    ).toEqual(built);
  });

  it("INP-1, ACC-6, SES-1, TFA-5, TFA-13, PNL-2, AUD-2: every answer of a full flow fits its documented schema", async () => {
    const s = await site();
    const seen: { method: string; pathname: string; status: number; text: string }[] = [];
    const recording: PanelAccessHttp = {
      ...s.http,
      handle: async (request, info) => {
        const response = await s.http.handle(request, info);
        seen.push({
          method: request.method,
          pathname: new URL(request.url).pathname,
          status: response.status,
          text: await response.clone().text(),
        });
        return response;
      },
    };
    const browser = () => new Browser(recording, "203.0.113.7");
    const P = `/panels/${s.panelId}`;
    const member = { email: "member@example.test", password: "a member's own long passphrase 3" };

    // Signing in: password, 2FA setup (remembering this browser), a second browser's second step.
    const admin = browser();
    const login = await admin.send("POST", "/login", ADMIN);
    expect(login.body.next).toBe("secondFactorSetup");
    const app = scan(login.body.setup.uri, s.clock);
    const setup = await admin.send("POST", "/login/setup", {
      code: app.code(),
      rememberBrowser: true,
    });
    expect(setup.status).toBe(200);
    s.clock.advance({ seconds: 30 });
    const other = browser();
    expect((await other.send("POST", "/login", ADMIN)).body.next).toBe("secondFactor");
    expect((await other.send("POST", "/login/second-factor", { code: app.code() })).status).toBe(
      200,
    );
    // Remembered: this browser skips the second factor.
    expect((await admin.send("POST", "/login", ADMIN)).body.next).toBe("done");

    // The session, the account, settings.
    for (const path of ["/session", "/account", "/activity?limit=5", "/settings/backup-codes"])
      expect((await admin.send("GET", path)).status, path).toBe(200);
    const regenerated = await admin.send("POST", "/settings/backup-codes", {
      password: ADMIN.password,
    });
    expect(regenerated.status).toBe(200);
    const browsers = await admin.send("GET", "/settings/browsers");
    expect(browsers.body.browsers).toHaveLength(1);
    const forget = await admin.send("POST", "/settings/browsers/forget", {
      browserId: browsers.body.browsers[0].id,
    });
    expect(forget.status).toBe(204);

    // A member: invited, invitation resent, registered, changed, reset, removed, reinvited.
    const grant = { email: member.email, role: "viewer", access: { type: "permanent" } };
    expect((await admin.send("POST", `${P}/members`, grant)).status).toBe(201);
    expect((await admin.send("GET", `${P}/members`)).status).toBe(200);
    expect(
      (await admin.send("POST", `${P}/members/resend-invitation`, { email: member.email })).status,
    ).toBe(201);
    const newcomer = browser();
    const token = linkToken(s, member.email, "invitation");
    expect((await newcomer.send("POST", "/invitations/inspect", { token })).status).toBe(200);
    expect(
      (await newcomer.send("POST", "/register", { token, password: member.password })).status,
    ).toBe(201);
    const until = s.clock.now().plus({ days: 30 }).toISO();
    expect(
      (
        await admin.send("POST", `${P}/members/change`, {
          email: member.email,
          access: { type: "temporary", endsAt: until },
        })
      ).status,
    ).toBe(204);
    expect(
      (await admin.send("POST", `${P}/members/reset-two-factor`, { email: member.email })).status,
    ).toBe(204);
    expect((await admin.send("POST", `${P}/members/remove`, { email: member.email })).status).toBe(
      204,
    );
    expect((await admin.send("POST", `${P}/members/reinvite`, grant)).status).toBe(201);
    expect((await admin.send("GET", `${P}/activity?limit=10`)).status).toBe(200);

    // A forgotten password.
    expect((await newcomer.send("POST", "/password/forgot", { email: member.email })).status).toBe(
      202,
    );
    await s.panelAccess.settled(); // PWD-2 v2: the link is made after the answer.
    const reset = linkToken(s, member.email, "passwordReset");
    expect((await newcomer.send("POST", "/password/inspect", { token: reset })).status).toBe(200);
    expect(
      (
        await newcomer.send("POST", "/password/reset", {
          token: reset,
          password: "another long passphrase of theirs 9",
        })
      ).status,
    ).toBe(204);

    // Some refusals, whose bodies must fit the Error component.
    const refusals: [Browser, string, string, unknown, number][] = [
      [newcomer, "POST", "/register", { token, password: member.password }, 410],
      [newcomer, "POST", "/login", { email: member.email, password: "wrong" }, 401],
      [admin, "POST", `${P}/members`, { email: 1 }, 400],
      [admin, "GET", "/panels/elsewhere/members", undefined, 403],
      // REMEMBERED_BROWSER_NOT_FOUND is the library's: it once answered 500, unmapped.
      [admin, "POST", "/settings/browsers/forget", { browserId: "no-such-browser" }, 404],
      [admin, "POST", `${P}/members/remove`, { email: ADMIN.email }, 409],
      [newcomer, "GET", "/session", undefined, 401],
      [newcomer, "POST", "/password/reset", { token: reset, password: "x".repeat(20) }, 410],
    ];
    for (const [who, method, path, body, status] of refusals)
      expect((await who.send(method, path, body)).status, `${method} ${path}`).toBe(status);

    // Signing out everywhere, then here.
    expect((await other.send("POST", "/logout-everywhere")).status).toBe(204);
    expect((await admin.send("GET", "/session")).status).toBe(401);
    expect((await admin.send("POST", "/logout")).status).toBe(204);

    // Every answer against the document.
    const document = s.http.openapi();
    const operations = operationsOf(document);
    const errorSchema = z.fromJSONSchema(
      (document.components.schemas as Record<string, Record<string, unknown>>).Error as never,
    );
    const answered = new Set<string>();
    for (const answer of seen) {
      const route = routeOf(s.http, answer.method, answer.pathname);
      const where = `${answer.method} ${answer.pathname} ${answer.status}: ${answer.text}`;
      expect(route, where).toBeDefined();
      const operation = operations.get(
        `${answer.method} ${s.http.options.basePath}${route?.path}`,
      ) as { responses: Record<string, { content?: { "application/json": { schema: object } } }> };
      const documented = operation.responses[String(answer.status)];
      expect(documented, `undocumented status: ${where}`).toBeDefined();
      const body = answer.text === "" ? undefined : (JSON.parse(answer.text) as unknown);
      if (answer.status >= 400) {
        const parsed = errorSchema.safeParse(body);
        expect(parsed.success, `not an Error: ${where}`).toBe(true);
        const code = (body as { error: { code: keyof typeof ERROR_STATUS } }).error.code;
        expect(ERROR_STATUS[code], where).toBe(answer.status);
        continue;
      }
      answered.add(route?.id ?? "");
      const declared = route?.answers[answer.status];
      expect(declared, where).toBeDefined();
      if (declared?.schema === undefined) {
        expect(body, `a body where none is documented: ${where}`).toBeUndefined();
        expect(documented?.content).toBeUndefined();
        continue;
      }
      const parsed = declared.schema.safeParse(body);
      expect(parsed.success, `${where}\n${parsed.error?.message}`).toBe(true);
      // And against the JSON Schema the document publishes.
      const published = z.fromJSONSchema(documented?.content?.["application/json"].schema as never);
      const fits = published.safeParse(body);
      expect(fits.success, `${where}\n${fits.error?.message}`).toBe(true);
    }
    expect([...answered].sort()).toEqual(s.http.routes.map((r) => r.id).sort());
  });
});
