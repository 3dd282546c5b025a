import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import type { InvalidInput, SessionInvalid, StorageFailed } from "../errors.js";
import {
  activityFiltersShape,
  parseInput,
  tokenSchema,
  withOrderedWindow,
} from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { readOnly } from "../runtime/unit-of-work.js";
import { authenticate } from "../sessions/steps/authenticate.js";
import { type ActivityPage, readActivity } from "./steps/read-activity.js";

export const listSecurityActivityInput = withOrderedWindow(
  z.object({ sessionToken: tokenSchema, ...activityFiltersShape }),
);
/**
 * What `listSecurityActivity` takes; validated with zod (INP-1): the
 * person's session, and the filters: `from` (inclusive), `to` (exclusive),
 * `types` (narrowed to the security kinds), `cursor`, `limit` (@default 50,
 * at most 200).
 */
export type ListSecurityActivityInput = z.input<typeof listSecurityActivityInput>;
/** Every error `listSecurityActivity` can answer. */
export type ListSecurityActivityError = InvalidInput | SessionInvalid | StorageFailed;

/**
 * AUD-2: a person's own security activity, through a session that works now
 * (`local` or `sso`: reading changes nothing): logins completed and failed
 * (with the reason, so a wrong second factor tells them their password is
 * known), locks, blocks, password resets, 2FA set up and reset, backup
 * codes, remembered browsers, sessions ended. Never another account's
 * events, nor their panels' administration. Read-only; the session is not
 * touched.
 */
export function listSecurityActivity(
  deps: Dependencies,
  input: ListSecurityActivityInput,
): ResultAsync<ActivityPage, ListSecurityActivityError> {
  return parseInput(listSecurityActivityInput, input).asyncAndThen(({ sessionToken, ...filters }) =>
    readOnly(deps, async (tx) => {
      const now = deps.clock.now();
      const found = await authenticate(deps, tx, sessionToken, now);
      if (found.isErr()) return err(found.error);
      const securityOf = found.value.account.id;
      return ok(await readActivity(deps, tx, now, { securityOf }, filters));
    }),
  );
}
