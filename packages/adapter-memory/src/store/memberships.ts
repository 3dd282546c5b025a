import type { MembershipRecord, MembershipsTx } from "@panel-access/core";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

const membershipKey = (accountId: string, panelId: string) => `${accountId}\u0000${panelId}`;

/** Memberships, one per account and panel, of an account and a panel that exist. */
export function membershipsTx(unit: UnitOfWork): MembershipsTx {
  return {
    async findMembership(accountId: string, panelId: string): Promise<MembershipRecord | null> {
      return unit.memberships.get(membershipKey(accountId, panelId)) ?? null;
    },

    async listMembershipsOfAccount(accountId: string): Promise<MembershipRecord[]> {
      return [...unit.memberships.by("account", accountId)];
    },

    async listMembershipsOfPanel(panelId: string): Promise<MembershipRecord[]> {
      return [...unit.memberships.by("panel", panelId)];
    },

    async putMembership(membership: MembershipRecord): Promise<void> {
      if (!unit.accounts.has(membership.accountId) || !unit.panels.has(membership.panelId)) {
        throw new MemoryConstraintError("membership of an unknown account or panel");
      }
      unit.memberships.set(membershipKey(membership.accountId, membership.panelId), membership);
    },

    async deleteMembership(accountId: string, panelId: string): Promise<void> {
      unit.memberships.delete(membershipKey(accountId, panelId));
    },
  };
}
