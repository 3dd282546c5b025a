import type { DateTime } from "luxon";
import { ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import type { AccessTerm } from "../domain/access.js";
import { type AccountStatus, statusOf } from "../domain/account.js";
import { actorSchema, idSchema } from "../input/schemas.js";
import { type AdministrativeRefusal, asAdministrator } from "../runtime/as-administrator.js";
import type { Dependencies } from "../runtime/dependencies.js";

export const listMembersInput = z.object({ actor: actorSchema, panelId: idSchema });
/** What `listMembers` takes; validated with zod (INP-1). */
export type ListMembersInput = z.input<typeof listMembersInput>;
/** Every error `listMembers` can answer. */
export type ListMembersError = AdministrativeRefusal;

/** One row of User Management. */
export interface MemberView {
  readonly accountId: string;
  readonly email: string;
  readonly role: string;
  readonly access: AccessTerm;
  readonly grantedAt: DateTime;
  /**
   * The status as this panel sees it: the account's status computed from this
   * panel's membership alone, so `expired` means "access here has ended" and
   * nothing about other panels leaks to this panel's administrators.
   */
  readonly status: AccountStatus;
}

/** The panel's members with their derived status, by e-mail. Administrators only (ACC-5). */
export function listMembers(
  deps: Dependencies,
  input: ListMembersInput,
): ResultAsync<MemberView[], ListMembersError> {
  return asAdministrator(deps, listMembersInput, input, async ({ panel, now, tx }) => {
    const memberships = await tx.listMembershipsOfPanel(panel.id);
    const accounts = new Map(
      (await tx.findAccountsByIds(memberships.map((m) => m.accountId))).map((a) => [a.id, a]),
    );
    const rows = memberships.flatMap((membership) => {
      const account = accounts.get(membership.accountId);
      if (account === undefined) return [];
      const { role, access, grantedAt } = membership;
      const status = statusOf(account, [membership], now);
      return [{ accountId: account.id, email: account.email, role, access, grantedAt, status }];
    });
    return ok(rows.sort((a, b) => a.email.localeCompare(b.email)));
  });
}
