import { describe, expect, it } from "vitest";
import { ADMIN, signIn, site } from "./harness.js";

describe("JSON API flows", () => {
  it("LCK-8, TFA-1, TFA-2, SES-1, SES-2: password, 2FA setup, session, logout", async () => {
    const s = await site();
    const browser = s.browser();
    const { login, setup } = await signIn(s, browser);
    expect(login.status).toBe(200);
    expect(login.body.next).toBe("secondFactorSetup");
    expect(setup?.status).toBe(200);
    expect(setup?.body.backupCodes).toHaveLength(10);
    const session = await browser.send("GET", "/session");
    expect(session.status).toBe(200);
    expect(session.body.email).toBe(ADMIN.email);
    expect(session.body.panels.map((p: { id: string }) => p.id)).toEqual([s.panelId]);
    const out = await browser.send("POST", "/logout");
    expect(out.status).toBe(204);
    expect((await browser.send("GET", "/session")).status).toBe(401);
  });
});
