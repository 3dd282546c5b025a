import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { site } from "./harness.js";

/** Each route of the JSON API and the test file that exercises it over HTTP. */
const TESTED_IN: Record<string, string> = {
  login: "login.test.ts",
  verifySecondFactor: "login.test.ts",
  completeTwoFactorSetup: "login.test.ts",
  getSession: "sessions.test.ts",
  logout: "sessions.test.ts",
  logoutEverywhere: "sessions.test.ts",
  getAccount: "sessions.test.ts",
  listSecurityActivity: "sessions.test.ts",
  inspectInvitation: "links.test.ts",
  register: "links.test.ts",
  forgotPassword: "links.test.ts",
  inspectPasswordReset: "links.test.ts",
  resetPassword: "links.test.ts",
  countBackupCodes: "settings.test.ts",
  regenerateBackupCodes: "settings.test.ts",
  listRememberedBrowsers: "settings.test.ts",
  forgetRememberedBrowsers: "settings.test.ts",
  listMembers: "members.test.ts",
  addMember: "members.test.ts",
  changeAccess: "members.test.ts",
  reinviteMember: "members.test.ts",
  resendInvitation: "members.test.ts",
  removeMember: "members.test.ts",
  resetTwoFactor: "members.test.ts",
  listPanelActivity: "members.test.ts",
};

describe("route coverage", () => {
  it("INP-1: every route of the JSON API has a test file that sends its method to its path", async () => {
    const s = await site();
    expect(s.http.routes.map((r) => r.id).sort()).toEqual(Object.keys(TESTED_IN).sort());
    for (const route of s.http.routes) {
      const file = TESTED_IN[route.id] as string;
      const text = readFileSync(new URL(file, import.meta.url), "utf8");
      // The path as the test writes it: `/panels/${s.panelId}/members/change`, "/login"…
      const tail = route.path.replace(/^\/panels\/\{panelId\}/, "");
      const sent = new RegExp(
        `"${route.method}",\\s*[\`"](/panels/\\$\\{[^}]+\\})?${tail.replace(/[/.-]/g, "\\$&")}[\`"?]`,
      );
      expect([route.id, sent.test(text)]).toEqual([route.id, true]);
    }
  });
});
