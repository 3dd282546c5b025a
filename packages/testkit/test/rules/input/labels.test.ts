import { describe, expect, it } from "vitest";
import { worldWithPanel } from "../../support/world.js";

describe("one-line labels (INP-1 v2)", () => {
  it("INP-1 v2: a panel name refuses control characters, line separators and bidi overrides, and changes nothing", async () => {
    const w = await worldWithPanel();
    const before = w.store.snapshot();
    for (const name of [
      "Acme\nBcc: eve@example.com",
      "Acme\r\nSubject: hi",
      "Acme\tTab",
      "Acme\u0085",
      "Acme\u2028Line",
      "Acme\u2029Paragraph",
      "Acme \u202Emoc.elpmaxe",
      "Acme \u2066isolated\u2069",
      "Acme\u0000",
      "Acme\uD800",
    ]) {
      const created = await w.panelAccess.createPanel({
        actor: { type: "system" },
        name,
        administratorEmail: "someone@example.com",
      });
      expect(created.isErr() && created.error.type, JSON.stringify(name)).toBe("INVALID_INPUT");
    }
    expect(w.store.snapshot()).toEqual(before);
  });

  it("INP-1 v2: right-to-left text with its marks, combining marks and emoji sequences are kept exactly", async () => {
    const w = await worldWithPanel();
    for (const name of ["לוח בקרה\u200F 2", "لوحة التحكم", "Cafe\u0301", "Team 👩‍💻", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]) {
      const created = await w.panelAccess.createPanel({
        actor: { type: "system" },
        name,
        administratorEmail: "someone@example.com",
      });
      expect(created._unsafeUnwrap().panel.name).toBe(name);
    }
  });
});
