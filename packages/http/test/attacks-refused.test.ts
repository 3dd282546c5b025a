import { describe, expect, it } from "vitest";
import { ADMIN, signedInSite, site } from "./harness.js";

/** Review probes that PASS on the current code: attacks tried and refused. */
describe("review: probes the layer withstands", () => {
  it("SES-1: content-type tricks: text/plain, form types, and 'application/jsonx' are 415; 'application/json;' parses", async () => {
    const s = await site();
    const body = JSON.stringify(ADMIN);
    for (const type of [
      "text/plain",
      "text/plain; charset=utf-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      "application/json-patch+json",
    ]) {
      const answer = await s.browser().send("POST", "/login", body, { "content-type": type });
      expect([type, answer.status]).toEqual([type, 415]);
    }
    const ok = await s
      .browser()
      .send("POST", "/login", body, { "content-type": "application/json;" });
    expect(ok.status).toBe(200);
  });

  it("SES-1: path tricks never reach a route other than the one named", async () => {
    const { s, admin } = await signedInSite();
    for (const path of [
      "//session",
      "/session/",
      "/SESSION",
      "/%73ession",
      `/panels/${s.panelId}%2Fmembers`,
      `/panels/..%2F${s.panelId}/members`,
    ]) {
      const answer = await admin.send("GET", path);
      expect([path, answer.status]).toEqual([path, 404]);
    }
    // Dot segments are resolved by URL parsing exactly as a browser would; still under basePath.
    expect((await admin.send("GET", "/x/../session")).status).toBe(200);
  });

  it("SES-2: HEAD and unknown methods on state-changing routes change nothing (405)", async () => {
    const { admin } = await signedInSite();
    for (const method of ["HEAD", "PUT", "PATCH", "DELETE"]) {
      const answer = await admin.send(method, "/logout");
      expect([method, answer.status]).toEqual([method, 405]);
    }
    expect((await admin.send("GET", "/session")).status).toBe(200);
  });

  it("INP-1: __proto__ keys, deep nesting and huge numbers are refused as input without throwing", async () => {
    const s = await site();
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    for (const body of [
      `{"__proto__":{"admin":true},"email":"a@b.c","password":"x"}`,
      `{"email":${deep},"password":"x"}`,
      `{"email":"a@b.c","password":1e999}`,
    ]) {
      const answer = await s.browser().send("POST", "/login", body);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe("LOGIN_FAILED");
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("SES-1: a body over the limit is 413 with a lying Content-Length and without one", async () => {
    const s = await site({ bodyLimit: 1024 });
    const big = JSON.stringify({ email: "a@b.c", password: "x".repeat(5000) });
    const chunked = new Request("https://app.example.test/api/auth/login", {
      method: "POST",
      headers: { origin: "https://app.example.test", "content-type": "application/json" },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect((await s.http.handle(chunked)).status).toBe(413);
    const lying = await s.browser().send("POST", "/login", big, { "content-length": "10" });
    expect(lying.status).toBe(413);
  });
});
