import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { ADMINISTRATOR_ROLE } from "../domain/membership.js";
import type { PanelRecord } from "../domain/panel.js";
import { type Forbidden, forbidden, type InvalidInput, type StorageFailed } from "../errors.js";
import { actorSchema, emailSchema, labelSchema, parseInput } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { runUnitOfWork } from "../runtime/unit-of-work.js";
import { newId } from "../secrets/tokens.js";
import { type Grant, type GrantRefused, grantAccess } from "./steps/grant-access.js";

export const createPanelInput = z.object({
  /** Only the support team (`operator`) or the host (`system`) creates panels. */
  actor: actorSchema,
  name: labelSchema(200),
  settings: z.object({ ssoEnabled: z.boolean().default(false) }).prefault({}),
  /** The panel's first administrator (PNL-6: a panel always has one). */
  administratorEmail: emailSchema,
});
/** What `createPanel` takes; validated with zod (INP-1). */
export type CreatePanelInput = z.input<typeof createPanelInput>;
/** Every error `createPanel` can answer. */
export type CreatePanelError = InvalidInput | Forbidden | GrantRefused | StorageFailed;
/** What `createPanel` answers: the panel and how its first administrator was told. */
export interface CreatedPanel {
  readonly panel: PanelRecord;
  readonly administrator: Grant;
}

/**
 * Creates a panel with its first administrator, who is invited (ACC-1) or,
 * if already registered, granted access at once (ACC-2).
 */
export function createPanel(
  deps: Dependencies,
  input: CreatePanelInput,
): ResultAsync<CreatedPanel, CreatePanelError> {
  return parseInput(createPanelInput, input).asyncAndThen((request) => {
    const panelId = newId(deps.random);
    const scope = { accounts: [request.administratorEmail], panels: [panelId] };
    return runUnitOfWork(deps, scope, (tx, outbox) =>
      safeTry(async function* () {
        const { actor } = request;
        if (actor.type === "account") return err(forbidden());
        const now = deps.clock.now();
        const panel: PanelRecord = {
          id: panelId,
          name: request.name,
          settings: request.settings,
          createdAt: now,
        };
        await tx.createPanel(panel);
        outbox.recordEvent({ type: "panel.created", at: now, actor, panelId });
        const administrator = yield* await grantAccess(deps, tx, outbox, {
          actor,
          panel,
          email: request.administratorEmail,
          role: ADMINISTRATOR_ROLE,
          access: { type: "permanent" },
          now,
          tellRegistered: "whenEnded",
        });
        return ok({ panel, administrator });
      }),
    );
  });
}
