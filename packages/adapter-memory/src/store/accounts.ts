import type {
  AccountRecord,
  AccountsTx,
  AccountWithMemberships,
  MembershipsTx,
} from "@panel-access/core";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** Accounts, unique by id and by e-mail; read with their memberships through `memberships`. */
export function accountsTx(
  unit: UnitOfWork,
  memberships: Pick<MembershipsTx, "listMembershipsOfAccount">,
): AccountsTx {
  async function findAccountByEmail(email: string): Promise<AccountRecord | null> {
    for (const account of unit.accounts.by("email", email)) return account;
    return null;
  }

  async function findAccountById(id: string): Promise<AccountRecord | null> {
    return unit.accounts.get(id) ?? null;
  }

  return {
    findAccountByEmail,
    findAccountById,

    async findAccountWithMemberships(
      key: { readonly id: string } | { readonly email: string },
    ): Promise<AccountWithMemberships | null> {
      const account =
        "id" in key ? await findAccountById(key.id) : await findAccountByEmail(key.email);
      return (
        account && {
          account,
          memberships: await memberships.listMembershipsOfAccount(account.id),
        }
      );
    },

    async findAccountsByIds(ids: readonly string[]): Promise<AccountRecord[]> {
      return [...new Set(ids)].flatMap((id) => unit.accounts.get(id) ?? []);
    },

    async createAccount(account: AccountRecord): Promise<void> {
      if (unit.accounts.has(account.id) || (await findAccountByEmail(account.email))) {
        throw new MemoryConstraintError("account id or e-mail already exists");
      }
      unit.accounts.set(account.id, account);
    },

    async updateAccount(account: AccountRecord): Promise<void> {
      const existing = unit.accounts.get(account.id);
      if (existing === undefined) throw new MemoryConstraintError("no such account");
      if (existing.email !== account.email)
        throw new MemoryConstraintError("an e-mail never changes");
      unit.accounts.set(account.id, account);
    },
  };
}
