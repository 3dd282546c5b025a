import type { AccountStatusView } from "@panel-access/core";
import { expect } from "vitest";
import type { World } from "./world.js";

/** The person whose status getAccountStatus answers. */
export const PERSON = "person@example.com";
/** A member of the support team. */
export const OPERATOR = { type: "operator", operatorId: "support-1" } as const;

/** A member of Acme (permanent) whose temporary access to Globex has ended. */
export async function withEndedMembership(w: World) {
  await w.member(PERSON);
  const globex = await w.otherPanel("Globex");
  const endsAt = w.clock.now().plus({ days: 1 });
  (
    await w.panelAccess.addMember({
      actor: w.admin,
      panelId: globex,
      email: PERSON,
      role: "viewer",
      access: { type: "temporary", endsAt },
    })
  )._unsafeUnwrap();
  w.clock.advance({ days: 2 });
  return { globex, endsAt };
}

/** The secrets of an account as the memory store keeps them. */
interface StoredAccount {
  readonly passwordHash: string | null;
  readonly twoFactor: { readonly sealedSecret: string } | null;
}

/** No secret, hash or token anywhere in an answer. */
export function expectNoSecrets(w: World, view: AccountStatusView, tokens: readonly string[] = []) {
  const { accounts } = w.store.snapshot() as { accounts: [string, StoredAccount][] };
  const stored = accounts.find(([id]) => id === view.accountId)?.[1];
  const secrets = [stored?.passwordHash, stored?.twoFactor?.sealedSecret, ...tokens];
  const text = JSON.stringify(view);
  for (const word of ["argon2", "Hash", "secret", "Secret", ...secrets.filter(Boolean)]) {
    expect(text).not.toContain(word);
  }
}
