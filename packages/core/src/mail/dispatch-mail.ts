import type { ResultAsync } from "neverthrow";
import type { StorageFailed } from "../errors.js";
import { type DispatchReport, deliverMail } from "../runtime/deliver-mail.js";
import type { Dependencies } from "../runtime/dependencies.js";

/**
 * MAIL-2: one round of the outbox: claims up to `mail.batchSize` due messages
 * (retries, and anything queued with `mail.sendAfterCommit` off) and sends
 * them. The sending itself lives in runtime/, because every unit of work also
 * sends its own messages right after its commit.
 */
export function dispatchMail(deps: Dependencies): ResultAsync<DispatchReport, StorageFailed> {
  return deliverMail(deps);
}
