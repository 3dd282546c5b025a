import { describe, expect, it } from "vitest";
import { signedInSite, signInAgain } from "./harness.js";

describe("signing in again in the same browser", () => {
  it("SES-2: a new login ends the session the browser's cookie held before", async () => {
    const { s, admin, app } = await signedInSite();
    const before = admin.cookies.get("__Host-pa_session");
    expect(before).toBeDefined();
    const { second } = await signInAgain(s, admin, app);
    expect(second.status).toBe(200);
    const after = admin.cookies.get("__Host-pa_session");
    expect(after).not.toBe(before);
    const old = await s.panelAccess.validateSession({ sessionToken: before ?? "" });
    expect(old.isErr() && old.error.type).toBe("SESSION_INVALID");
    expect((await admin.send("GET", "/session")).status).toBe(200);
  });
});
