import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { newPassword } from "./login-kit.js";
import { afterPasswordReset, type Model, RULES, resetRefusal, revokeSessions } from "./state.js";
import { type ExpectedMail, observe, type Real, resetExpiry } from "./world.js";

/** PWD-2: a reset link for a registered account that is not blocked; the same answer for everyone. */
export class ForgotPassword extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    // PWD-5: links issued in the last window (a lock's link too) count; past the limit nothing is sent.
    const since = m.now - RULES.resetLimitWindow;
    const recent = p.resets.filter((l) => l.expiresAt - RULES.resetValidity >= since).length;
    const mail: ExpectedMail[] =
      p.exists && p.registered && !p.blocked && recent < RULES.resetLimit
        ? [{ kind: "passwordReset", to: p.email, expiresAt: resetExpiry(m.now) }]
        : [];
    if (p.exists && p.registered && !p.blocked && recent >= RULES.resetLimit) {
      m.reached.add("PWD-5: reset mail limited");
    }
    const result = await r.panelAccess.forgotPassword({ email: p.email });
    same(outcomeOf(result), "ok", `${this}: outcome`);
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `forgotPassword(${who(this.person)})`;
  }
}

/** PWD-3, PWD-4, LCK-4, LCK-5: a new password through the latest reset link, or an older one. */
export class ResetPassword extends ModelCommand {
  constructor(
    readonly person: number,
    readonly link: "latest" | "oldest",
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.resets.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const link = this.link === "latest" ? p.resets.at(-1) : p.resets[0];
    if (link === undefined) throw new Error("check() guarantees a link");
    const password = newPassword("new passphrase");
    const refusal = resetRefusal(p, link, m.now);
    const mail: ExpectedMail[] = [];
    if (refusal === null) {
      link.used = true;
      p.password = password;
      afterPasswordReset(p);
      for (const c of p.challenges) c.used = true;
      revokeSessions(p);
      mail.push({ kind: "passwordChanged", to: p.email }); // MAIL-3
    }
    m.reached.add(`reset: ${refusal ?? "ok"}`);
    const result = await r.panelAccess.resetPassword({ token: link.token, password });
    same(outcomeOf(result), refusal ?? "ok", `${this}: outcome`);
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `resetPassword(${who(this.person)}, ${this.link} link)`;
  }
}
