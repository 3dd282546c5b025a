import { describe, expect, it } from "vitest";
import { ADMIN, PUBLIC_URL, site } from "./harness.js";

const LOGIN_URL = `${PUBLIC_URL}/api/auth/login`;
const JSON_TYPE = { "content-type": "application/json", origin: PUBLIC_URL };

const codeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe("bad input", () => {
  it("INP-1: a body over bodyLimit (Content-Length) is 413 BODY_TOO_LARGE before parsing: not-JSON past the limit is not MALFORMED_JSON", async () => {
    const s = await site({ bodyLimit: 2048 });
    const body = `{${"x".repeat(4096)}`;
    const response = await s.http.handle(
      new Request(LOGIN_URL, { method: "POST", headers: JSON_TYPE, body }),
    );
    expect(response.status).toBe(413);
    expect(await codeOf(response)).toBe("BODY_TOO_LARGE");
    const declared = await s.http.handle(
      new Request(LOGIN_URL, {
        method: "POST",
        headers: { ...JSON_TYPE, "content-length": "999999999" },
        body: "{}",
      }),
    );
    expect(declared.status).toBe(413);
  });

  it("INP-1: a streamed body without Content-Length is cut off at bodyLimit with 413, its stream cancelled unread", async () => {
    const s = await site({ bodyLimit: 2048 });
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(" ".repeat(512)));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request(LOGIN_URL, {
      method: "POST",
      headers: JSON_TYPE,
      body: endless,
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const response = await s.http.handle(request, { socketAddress: "203.0.113.7" });
    expect(response.status).toBe(413);
    expect(await codeOf(response)).toBe("BODY_TOO_LARGE");
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(20);
  });

  it("INP-1: a body within bodyLimit streamed without Content-Length is read", async () => {
    const s = await site();
    const text = JSON.stringify(ADMIN);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text.slice(0, 10)));
        controller.enqueue(new TextEncoder().encode(text.slice(10)));
        controller.close();
      },
    });
    const response = await s.http.handle(
      new Request(LOGIN_URL, {
        method: "POST",
        headers: JSON_TYPE,
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(200);
  });

  it("INP-1: a body that is not declared JSON is 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const s = await site();
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      null,
    ]) {
      const headers: Record<string, string> = { origin: PUBLIC_URL };
      if (type !== null) headers["content-type"] = type;
      // Bytes, so that the Request constructor adds no type of its own.
      const request = new Request(LOGIN_URL, {
        method: "POST",
        headers,
        body: new TextEncoder().encode(JSON.stringify(ADMIN)),
      });
      expect(request.headers.get("content-type")).toBe(type);
      const response = await s.http.handle(request);
      expect(response.status).toBe(415);
      expect(await codeOf(response)).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    const charset = await s.browser().send("POST", "/login", JSON.stringify(ADMIN), {
      "content-type": "application/json; charset=utf-8",
    });
    expect(charset.status).toBe(200);
  });

  it("INP-1: malformed JSON and invalid UTF-8 are 400 MALFORMED_JSON", async () => {
    const s = await site();
    const browser = s.browser();
    for (const body of ['{"email": "a@b.c",', "{'email': 1}", "undefined"]) {
      const answer = await browser.send("POST", "/login", body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("MALFORMED_JSON");
    }
    const response = await s.http.handle(
      new Request(LOGIN_URL, {
        method: "POST",
        headers: JSON_TYPE,
        body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      }),
    );
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe("MALFORMED_JSON");
  });

  it("INP-1: wrong field types are 400 INVALID_INPUT with issues naming the fields, never echoing the values", async () => {
    const s = await site();
    const browser = s.browser();
    const secret = "sekrit-value-4711";
    const answer = await browser.send("POST", "/password/reset", {
      token: 4711,
      password: [secret],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("INVALID_INPUT");
    const paths = answer.body.error.issues.map((i: { path: string[] }) => i.path.join("."));
    expect(paths.sort()).toEqual(["password", "token"]);
    for (const issue of answer.body.error.issues) expect(typeof issue.message).toBe("string");
    expect(JSON.stringify(answer.body)).not.toContain(secret);
    expect(JSON.stringify(answer.body)).not.toContain("4711");

    const tooLong = await browser.send("POST", "/password/forgot", { email: "x".repeat(400) });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).not.toContain("xxxxxxxx");
    const notAnObject = await browser.send("POST", "/password/forgot", [secret]);
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.error.code).toBe("INVALID_INPUT");
    expect(JSON.stringify(notAnObject.body)).not.toContain(secret);
    expect(s.mailer.sent.filter((m) => m.kind === "passwordReset")).toHaveLength(0);
  });

  it("INP-1: NUL in a field is bad input from the library, answered 400 INVALID_INPUT, nothing changed", async () => {
    const s = await site();
    const answer = await s
      .browser()
      .send("POST", "/password/forgot", { email: "admin\u0000@example.test" });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("INVALID_INPUT");
    await s.panelAccess.settled();
    expect(s.mailer.sent.filter((m) => m.kind === "passwordReset")).toHaveLength(0);
  });

  it("INP-1: an unknown route is 404 NOT_FOUND, under the base path and outside it", async () => {
    const s = await site();
    const browser = s.browser();
    for (const path of ["/nope", "/login/extra", "/panels/a b/members", "/panels/x/members/y/z"]) {
      const answer = await browser.send("GET", path);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe("NOT_FOUND");
    }
    const outside = await s.http.handle(new Request(`${PUBLIC_URL}/api/authx/login`));
    expect(outside.status).toBe(404);
    const run = await s.http.run("noSuchRoute", new Request(PUBLIC_URL));
    expect(run.status).toBe(404);
  });

  it("INP-1: a wrong method is 405 METHOD_NOT_ALLOWED with Allow listing the route's methods", async () => {
    const s = await site();
    const browser = s.browser();
    const cases: [string, string, string][] = [
      ["GET", "/login", "POST"],
      ["DELETE", "/session", "GET"],
      ["PUT", "/settings/backup-codes", "GET, POST"],
      ["DELETE", "/panels/abc/members", "GET, POST"],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await browser.send(method, path);
      expect(answer.status).toBe(405);
      expect(answer.body.error.code).toBe("METHOD_NOT_ALLOWED");
      expect(answer.headers.get("allow")).toBe(allow);
    }
  });

  it("INP-1: every answer, refusals included, is JSON with no-store and nosniff", async () => {
    const s = await site();
    const answers = [
      await s.http.handle(new Request(`${PUBLIC_URL}/api/auth/nope`)),
      await s.http.handle(
        new Request(LOGIN_URL, { method: "POST", headers: JSON_TYPE, body: "{" }),
      ),
      await s.http.handle(
        new Request(LOGIN_URL, { method: "POST", headers: JSON_TYPE, body: JSON.stringify(ADMIN) }),
      ),
    ];
    for (const response of answers) {
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});
