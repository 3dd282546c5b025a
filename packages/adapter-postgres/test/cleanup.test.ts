import { aLink, anAccount, T0 } from "@panel-access/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, PostgresStore } from "../src/index.js";
import { serverOrPglite, testDatabase } from "./database.js";

const database = await testDatabase(await serverOrPglite());
afterAll(() => database.drop());

describe(`cleanup (${database.kind})`, () => {
  it("SES-1, ACC-8: cleanup deletes only what can no longer work, and can run again", async () => {
    const store = new PostgresStore(database.driver, { schema: database.schema });
    const account = anAccount();
    const session = (id: string, expiresAt = T0.plus({ hours: 12 })) => ({
      id,
      accountId: account.id,
      secretHash: "ab".repeat(32),
      method: "local" as const,
      createdAt: T0,
      lastUsedAt: T0,
      expiresAt,
    });
    const oldLink = aLink(account.id, { sequence: 1, expiresAt: T0.plus({ days: 7 }) });
    const liveLink = aLink(account.id, {
      sequence: 2,
      issuedAt: T0.plus({ days: 60 }),
      expiresAt: T0.plus({ days: 67 }),
    });
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createLink(oldLink);
      await tx.createLink(liveLink);
      await tx.createSession(session("ended", T0.plus({ hours: 1 })));
      await tx.createSession(session("live", T0.plus({ days: 90 })));
    });
    const now = T0.plus({ days: 61 });
    expect(await cleanup(database.driver, { schema: database.schema, now })).toEqual({
      links: 1,
      sessions: 1,
      rememberedBrowsers: 0,
      sentMail: 0,
    });
    await store.transact({}, async (tx) => {
      expect(await tx.findLink(oldLink.id)).toBeNull();
      expect(await tx.findLink(liveLink.id)).not.toBeNull();
      expect(await tx.findSession("ended")).toBeNull();
      expect(await tx.findSession("live")).not.toBeNull();
    });
    expect(await cleanup(database.driver, { schema: database.schema, now })).toEqual({
      links: 0,
      sessions: 0,
      rememberedBrowsers: 0,
      sentMail: 0,
    });
  });
});
