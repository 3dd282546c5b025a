import type { DateTime } from "luxon";
import { err, type Result, type ResultAsync } from "neverthrow";
import type { z } from "zod";
import type { Actor } from "../domain/actor.js";
import type { PanelRecord } from "../domain/panel.js";
import type { Forbidden, InvalidInput, PanelNotFound, StorageFailed } from "../errors.js";
import { parseInput } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import { authorizeAdministrator } from "./authorize.js";
import type { Dependencies } from "./dependencies.js";
import type { Outbox } from "./outbox.js";
import { runUnitOfWork } from "./unit-of-work.js";

/** What every administrative request names: who asks, on which panel, and maybe about whom. */
export interface AdministrativeRequest {
  readonly actor: Actor;
  readonly panelId: string;
  readonly email?: string;
}

/** What the administrative work gets once the request is valid and the actor allowed. */
export interface AdministrativeStep<R> {
  readonly request: R;
  readonly panel: PanelRecord;
  readonly now: DateTime;
  readonly tx: StorageTx;
  readonly outbox: Outbox;
}

export type AdministrativeRefusal = InvalidInput | PanelNotFound | Forbidden | StorageFailed;

/**
 * The skeleton of every administrative use case: validate the input (INP-1),
 * lock the person named and the panel, read `now` under the lock, check that
 * the actor administers the panel (ACC-5), then run `work`.
 */
export function asAdministrator<R extends AdministrativeRequest, T, E>(
  deps: Dependencies,
  schema: z.ZodType<R, unknown>,
  input: unknown,
  work: (step: AdministrativeStep<R>) => PromiseLike<Result<T, E>>,
): ResultAsync<T, E | AdministrativeRefusal> {
  return parseInput(schema, input).asyncAndThen((request) => {
    const scope = {
      accounts: request.email === undefined ? [] : [request.email],
      panels: [request.panelId],
    };
    return runUnitOfWork<T, E | PanelNotFound | Forbidden>(deps, scope, async (tx, outbox) => {
      const now = deps.clock.now();
      const panel = await authorizeAdministrator(tx, request.actor, request.panelId, now);
      if (panel.isErr()) return err(panel.error);
      return work({ request, panel: panel.value, now, tx, outbox });
    });
  });
}
