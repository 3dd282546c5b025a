import { describe, expect, it } from "vitest";
import { createPanelAccessHttp } from "../src/index.js";
import { PUBLIC_URL, signedInSite } from "./harness.js";

/**
 * Review: the member routes pass the library's ACCOUNT_NOT_FOUND and
 * MEMBERSHIP_NOT_FOUND through as distinct codes. An administrator of ANY
 * panel can name an e-mail that is not in their panel and learn, without a
 * mail or a state change, whether it has an account anywhere on the platform
 * (another organisation's staff).
 */
describe("review: cross-tenant account probing through member routes", () => {
  it("ACC-5: a member route answers the same for an e-mail with an account elsewhere and an unknown one", async () => {
    const { s, admin } = await signedInSite();
    // Another organisation's panel with its own administrator (registered).
    const other = await s.panelAccess.createPanel({
      actor: { type: "system" },
      name: "Other org",
      administratorEmail: "boss@other.example",
    });
    expect(other.isOk()).toBe(true);
    for (const path of ["remove", "resend-invitation", "reset-two-factor"]) {
      const known = await admin.send("POST", `/panels/${s.panelId}/members/${path}`, {
        email: "boss@other.example",
      });
      const unknown = await admin.send("POST", `/panels/${s.panelId}/members/${path}`, {
        email: "nobody@nowhere.example",
      });
      expect({ path, status: known.status, body: known.body }).toEqual({
        path,
        status: unknown.status,
        body: unknown.body,
      });
    }
  });
});

describe("review: trusted origins", () => {
  it("SES-1: an http: trusted origin is refused when publicUrl is https (a MITM page would get credentialed CORS)", async () => {
    const { s } = await signedInSite();
    // Sanity: the same call with an https origin is accepted.
    createPanelAccessHttp(s.panelAccess, {
      publicUrl: PUBLIC_URL,
      trustedOrigins: ["https://admin.example.test"],
    });
    expect(() =>
      createPanelAccessHttp(s.panelAccess, {
        publicUrl: PUBLIC_URL,
        trustedOrigins: ["http://admin.example.test"],
      }),
    ).toThrow();
  });
});
