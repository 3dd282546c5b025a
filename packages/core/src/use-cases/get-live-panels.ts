import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type { AccessTerm } from "../domain/access.js";
import { statusOf } from "../domain/account.js";
import { isMembershipLive } from "../domain/membership.js";
import type { PanelRecord } from "../domain/panel.js";
import {
  type AccountNotFound,
  accountNotFound,
  type InvalidInput,
  type StorageFailed,
} from "../errors.js";
import { idSchema, parseInput } from "../input/schemas.js";
import type { Dependencies } from "./dependencies.js";
import { readOnly } from "./unit-of-work.js";

export const getLivePanelsInput = z.object({ accountId: idSchema });
export type GetLivePanelsInput = z.input<typeof getLivePanelsInput>;
export type GetLivePanelsError = InvalidInput | AccountNotFound | StorageFailed;

export interface LivePanel {
  readonly panel: PanelRecord;
  readonly role: string;
  readonly access: AccessTerm;
}

/**
 * PNL-7: the panels the account can enter right now. Checked at each use, not
 * only at login: a membership that has ended or was removed is absent at once.
 * An account that is not active (unregistered, locked, blocked, expired)
 * reaches no panel.
 */
export function getLivePanels(
  deps: Dependencies,
  input: GetLivePanelsInput,
): ResultAsync<LivePanel[], GetLivePanelsError> {
  return parseInput(getLivePanelsInput, input).asyncAndThen(({ accountId }) =>
    readOnly(deps, (tx) =>
      safeTry(async function* () {
        const now = deps.clock.now();
        const account = await tx.findAccountById(accountId);
        if (account === null) return err(accountNotFound());
        const memberships = await tx.listMembershipsOfAccount(accountId);
        if (statusOf(account, memberships, now) !== "active") return ok([]);
        const live = memberships.filter((m) => isMembershipLive(m, now));
        const panels = new Map(
          (await tx.findPanels(live.map((m) => m.panelId))).map((p) => [p.id, p]),
        );
        return ok(
          live.flatMap((m) => {
            const panel = panels.get(m.panelId);
            return panel ? [{ panel, role: m.role, access: m.access }] : [];
          }),
        );
      }),
    ),
  );
}
