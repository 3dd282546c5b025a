import { expect, it } from "vitest";
import type { LinkPurpose } from "../../domain/one-time-link.js";
import { aMessage } from "../../testing/records.js";
import { heldUnit } from "../held-unit.js";
import {
  type CleanupFactory,
  daysAgo,
  linkExpiring,
  NOTHING,
  NOW,
  subjectWithAccount,
} from "./subject.js";

/** Links (ACC-8): what expired or was used more than `keepLinksFor` ago goes; nothing goes under a unit of work holding it. */
export function runLinkCleanupContract(factory: CleanupFactory): void {
  it("ACC-8, cleanup: a link expired more than keepLinksFor (30 days) ago goes, one expired 30 days ago or less stays, for invitations, resets and login challenges alike", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const purposes: LinkPurpose[] = ["invitation", "passwordReset", "loginChallenge"];
    const gone = purposes.map((p) =>
      linkExpiring(account, daysAgo(30).minus({ milliseconds: 1 }), p, 1),
    );
    const kept = purposes.flatMap((p) => [
      linkExpiring(account, daysAgo(30), p, 2),
      linkExpiring(account, daysAgo(29), p, 3),
    ]);
    await write(async (tx) => {
      for (const link of [...gone, ...kept]) await tx.createLink(link);
    });
    expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, links: 3 });
    await read(async (tx) => {
      for (const link of gone) expect(await tx.findLink(link.id)).toBeNull();
      for (const link of kept) expect(await tx.findLink(link.id)).not.toBeNull();
    });
  });

  it("ACC-8, cleanup: a link used more than 30 days ago goes though it expires later; one used 29 days ago stays, as does an open one", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const later = NOW.plus({ days: 10 });
    const used31 = { ...linkExpiring(account, later, "invitation", 1), consumedAt: daysAgo(31) };
    const used29 = { ...linkExpiring(account, later, "invitation", 2), consumedAt: daysAgo(29) };
    const open = linkExpiring(account, later, "invitation", 3);
    await write(async (tx) => {
      for (const link of [used31, used29, open]) await tx.createLink(link);
    });
    expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, links: 1 });
    await read(async (tx) => {
      expect(await tx.findLink(used31.id)).toBeNull();
      expect(await tx.findLink(used29.id)).not.toBeNull();
      expect(await tx.findLink(open.id)).not.toBeNull();
    });
  });

  it("ACC-8, MAIL-2, cleanup: keepLinksFor sets how long dead links and sent mail are kept", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const gone = linkExpiring(account, daysAgo(8), "passwordReset", 1);
    const kept = linkExpiring(account, daysAgo(6), "passwordReset", 2);
    const sent = (days: number) =>
      aMessage(account.id, { status: "sent", sentAt: daysAgo(days), payload: null, attempts: 1 });
    const [sentGone, sentKept] = [sent(8), sent(6)];
    await write(async (tx) => {
      for (const link of [gone, kept]) await tx.createLink(link);
      for (const message of [sentGone, sentKept]) await tx.enqueueMail(message);
    });
    expect(await cleanup({ now: NOW, keepLinksFor: { days: 7 } })).toEqual({
      ...NOTHING,
      links: 1,
      sentMail: 1,
    });
    await read(async (tx) => {
      expect(await tx.findLink(gone.id)).toBeNull();
      expect(await tx.findLink(kept.id)).not.toBeNull();
      expect((await tx.listMail("sent", 10)).map((m) => m.id)).toEqual([sentKept.id]);
    });
  });

  it("ACC-8, cleanup: a dead link a unit of work holds at that moment is never deleted under it: both finish, and the link goes exactly once, by the next run at the latest", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const link = linkExpiring(account, daysAgo(40), "invitation");
    await write((tx) => tx.createLink(link));
    const { unit, held, release } = heldUnit(write, (tx) =>
      tx.consumeOpenLinks(account.id, "invitation", NOW),
    );
    await held;
    // PostgreSQL's DELETE waits for the row lock; the memory store passes the row over
    const during = cleanup({ now: NOW });
    release();
    expect(await unit).toBe(1);
    const first = await during;
    const second = await cleanup({ now: NOW });
    expect(first.links + second.links).toBe(1);
    expect(await read((tx) => tx.findLink(link.id))).toBeNull();
  });
}
