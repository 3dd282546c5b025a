import { describe, expect, it } from "vitest";
import { PASSWORD, statusIn, tokenOf, type World, worldWithPanel } from "./support/world.js";

const PERSON = "person@example.com";

async function ssoPanel(w: World, name = "SSO panel"): Promise<string> {
  const created = await w.panelAccess.createPanel({
    actor: { type: "system" }, name, settings: { ssoEnabled: true }, administratorEmail: "admin@example.com",
  });
  return created._unsafeUnwrap().panel.id;
}
async function failures(w: World) {
  const a = await w.store.transact({}, (tx) => tx.findAccountByEmail(PERSON));
  return a?.lockout;
}

describe("scratch", () => {
  it("debug SSO reset", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const sso = await ssoPanel(w);
    await w.panelAccess.addMember({ actor: w.admin, panelId: sso, email: PERSON, role: "viewer", access: { type: "permanent" } });
    const wrong = () => String((Number(app.code()) + 1) % 1_000_000).padStart(6, "0");
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) {
        const { challenge } = await w.secondFactorStep(PERSON);
        const r = await w.panelAccess.verifySecondFactor({ challenge, code: wrong() });
        console.log("round", round, "guess", i, r.isErr() ? r.error.type : "ok", JSON.stringify(await failures(w)));
      }
      const s = await w.panelAccess.openSsoSession({ email: PERSON, panelId: sso });
      console.log("sso", s.isOk() ? "ok" : JSON.stringify(s.error), JSON.stringify(await failures(w)));
    }
    await w.panelAccess.settled();
    console.log("status", await statusIn(w, PERSON));
  });
});
