import { PanelAccessConfigError } from "@panel-access/core";
import { createInMemoryPanelAccess } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { createPanelAccessHttp, type HttpOptions } from "../src/index.js";
import { ADMIN, site } from "./harness.js";

describe("options", () => {
  it("INP-1: invalid options are refused at start-up with PanelAccessConfigError naming the option", () => {
    const { panelAccess } = createInMemoryPanelAccess();
    const bad: [Partial<HttpOptions>, string][] = [
      [{ publicUrl: "ftp://app.example.test" }, "publicUrl"],
      [{ publicUrl: "not a url" }, "publicUrl"],
      [{ basePath: "/api/auth/" }, "basePath"],
      [{ basePath: "api" }, "basePath"],
      [{ bodyLimit: 10 }, "bodyLimit"],
      [{ bodyLimit: 64 * 1024 * 1024 }, "bodyLimit"],
      [{ trustedOrigins: ["javascript:alert(1)"] }, "trustedOrigins"],
      [{ trustedProxies: ["not-an-ip"] }, "trustedProxies"],
      [{ cookieNames: { session: "bad name;" } }, "cookieNames"],
    ];
    for (const [options, name] of bad) {
      const create = () =>
        createPanelAccessHttp(panelAccess, {
          publicUrl: "https://app.example.test",
          ...options,
        } as HttpOptions);
      expect(create).toThrow(PanelAccessConfigError);
      expect(create).toThrow(name);
    }
  });

  it("SES-1: a custom basePath mounts every route below it; the default path is then 404", async () => {
    const s = await site({ basePath: "/auth" });
    const login = await s.browser().send("POST", "/login", ADMIN);
    expect(login.status).toBe(200);
    const old = await s.http.handle(
      new Request("https://app.example.test/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ADMIN),
      }),
    );
    expect(old.status).toBe(404);
  });

  it("INP-1: what a route throws is 500 INTERNAL_ERROR with a generic message, and goes to onError", async () => {
    const seen: unknown[] = [];
    const s = await site({ onError: (error) => seen.push(error) });
    const failing = new Error("the store's secret detail");
    s.panelAccess.login = () => {
      throw failing;
    };
    const answer = await s.browser().send("POST", "/login", ADMIN);
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe("INTERNAL_ERROR");
    expect(JSON.stringify(answer.body)).not.toContain("secret detail");
    expect(seen).toEqual([failing]);
  });
});
