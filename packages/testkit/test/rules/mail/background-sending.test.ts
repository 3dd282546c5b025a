import type { Mailer, PanelAccess } from "@panel-access/core";
import { createInMemoryPanelAccess, type InMemoryOptions, scan } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { PASSWORD, type World, worldWithPanel } from "../../support/world.js";

/** A mail server that holds each message until `release()` (it has not answered yet). */
class HeldMailer implements Mailer {
  readonly #held: (() => void)[] = [];
  readonly #waiting: (() => void)[] = [];

  send(): Promise<void> {
    return new Promise((resolve) => {
      this.#held.push(resolve);
      for (const waiter of this.#waiting.splice(0)) waiter();
    });
  }

  /** Resolves once a message is held: its send is under way. */
  holding(): Promise<void> {
    if (this.#held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** The server answers 250 to every message it holds. */
  release(): void {
    for (const accept of this.#held.splice(0)) accept();
  }
}

/** Another instance over the world's store, sending through a server that holds each message. */
function instanceWithHeldServer(w: World, mail: InMemoryOptions["mail"]) {
  const server = new HeldMailer();
  const instance = createInMemoryPanelAccess({ store: w.store, forwardMailTo: server, mail });
  return { ...instance, server };
}

/** Whether `promise` has settled, without waiting for it. */
function tracked<T>(promise: PromiseLike<T>) {
  const state = {
    done: false,
    promise: Promise.resolve(promise).finally(() => (state.done = true)),
  };
  return state;
}

const NEW_PERSON = "new.person@example.com";

/** Adds NEW_PERSON to the world's panel, through `panelAccess`. */
const addNewPerson = (w: World, panelAccess: PanelAccess) =>
  panelAccess.addMember({
    actor: w.admin,
    panelId: w.panelId,
    email: NEW_PERSON,
    role: "analyst",
    access: { type: "permanent" },
  });

describe("MAIL-4: no request waits for the mail server", () => {
  it("MAIL-4: with awaitSending off (production), addMember and resendInvitation answer before their mail is sent, and settled() waits for it", async () => {
    const w = await worldWithPanel();
    const { panelAccess, mailer, server } = instanceWithHeldServer(w, { awaitSending: false });
    const added = await addNewPerson(w, panelAccess);
    expect(added._unsafeUnwrap().notice).toBe("invitation");
    await server.holding(); // sent after the answer, and not accepted yet
    expect(mailer.sent).toEqual([]);
    const settling = tracked(panelAccess.settled());
    await Promise.resolve();
    expect(settling.done).toBe(false);
    server.release();
    await settling.promise;
    expect(mailer.to(NEW_PERSON, "invitation")).toHaveLength(1);

    const resent = await panelAccess.resendInvitation({
      actor: w.admin,
      panelId: w.panelId,
      email: NEW_PERSON,
    });
    expect(resent.isOk()).toBe(true);
    await server.holding();
    expect(mailer.to(NEW_PERSON, "invitation")).toHaveLength(1);
    server.release();
    await panelAccess.settled();
    expect(mailer.to(NEW_PERSON, "invitation")).toHaveLength(2);
  });

  it("MAIL-4: with awaitSending on (test setups), addMember answers after its mail was tried, while completing 2FA setup, forgotPassword and a locking login still answer before theirs (PWD-2, LCK-8)", async () => {
    const w = await worldWithPanel();
    const email = "member@example.com";
    await w.member(email);
    const { panelAccess, mailer, server, clock } = instanceWithHeldServer(w, {
      awaitSending: true,
    });

    const adding = tracked(addNewPerson(w, panelAccess));
    await server.holding();
    expect(adding.done).toBe(false); // the answer waits for the server
    server.release();
    expect((await adding.promise)._unsafeUnwrap().notice).toBe("invitation");
    expect(mailer.to(NEW_PERSON, "invitation")).toHaveLength(1);

    // The test's time limit guards these awaits: an answer that waited for the server would never come.
    const step = (await panelAccess.login({ email, password: PASSWORD }))._unsafeUnwrap();
    if (step.next !== "secondFactorSetup") expect.fail(`expected a setup, got ${step.next}`);
    const code = scan(step.setup.uri, clock).code();
    const setUp = await panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code });
    expect(setUp.isOk()).toBe(true);
    await server.holding(); // MAIL-3's notice goes out after the answer
    expect(mailer.to(email, "twoFactorEnabled")).toEqual([]);
    server.release();
    await panelAccess.settled();
    expect(mailer.to(email, "twoFactorEnabled")).toHaveLength(1);

    expect((await panelAccess.forgotPassword({ email })).isOk()).toBe(true);
    await server.holding(); // answered; the reset mail is still with the server
    expect(mailer.to(email, "passwordReset")).toEqual([]);
    server.release();
    await panelAccess.settled();
    expect(mailer.to(email, "passwordReset")).toHaveLength(1);

    for (let i = 0; i < 6; i++) {
      const refused = await panelAccess.login({ email, password: `not ${PASSWORD}` });
      expect(refused._unsafeUnwrapErr().type).toBe("LOGIN_FAILED");
    }
    await server.holding(); // the sixth failure locked the account: its mail goes out after the answer
    expect(mailer.to(email, "accountLocked")).toEqual([]);
    server.release();
    await panelAccess.settled();
    expect(mailer.to(email, "accountLocked")).toHaveLength(1);
  });
});
