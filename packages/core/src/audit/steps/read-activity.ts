import type { DateTime } from "luxon";
import {
  type AuditPosition,
  eventOf,
  type Page,
  pageOf,
  SECURITY_EVENT_TYPES,
} from "../../domain/audit.js";
import type { DomainEvent, DomainEventType } from "../../domain/events.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";

/**
 * AUD-2: one event of the audit trail as a listing answers it: the domain
 * event (who, what, about which account and panel, when; never a secret) and
 * its `id` in the trail.
 */
export type ActivityEvent = DomainEvent & { readonly id: string };

/** AUD-2: one page of a listing, newest first; `nextCursor` asks for the next, older one. */
export type ActivityPage = Page<ActivityEvent>;

/** The filters of a listing, validated (`activityFiltersShape`). */
export interface ActivityFilters {
  readonly from?: DateTime | undefined;
  readonly to?: DateTime | undefined;
  readonly types?: readonly DomainEventType[] | undefined;
  readonly cursor?: AuditPosition | undefined;
  readonly limit: number;
}

/** What a listing may see: one panel's events, one account's (security ones only), or all. */
export type ActivityScope =
  | { readonly panelId?: string; readonly accountId?: string }
  | { readonly securityOf: string };

/**
 * AUD-2: one page of the trail within `scope`, filtered and paged as asked.
 * Events older than `audit.keepFor` are never shown, whether or not a
 * cleanup has deleted them yet. A person's `types` are narrowed to the
 * security kinds.
 */
export async function readActivity(
  deps: Dependencies,
  tx: StorageTx,
  now: DateTime,
  scope: ActivityScope,
  filters: ActivityFilters,
): Promise<ActivityPage> {
  const keptSince = now.minus(deps.options.audit.keepFor);
  const from = filters.from === undefined || filters.from < keptSince ? keptSince : filters.from;
  const within =
    "securityOf" in scope
      ? SECURITY_EVENT_TYPES.filter((type) => filters.types?.includes(type) ?? true)
      : filters.types;
  const records = await tx.listAuditEvents({
    ...("securityOf" in scope ? { accountId: scope.securityOf } : scope),
    from,
    ...(filters.to !== undefined && { to: filters.to }),
    ...(within !== undefined && { types: within }),
    ...(filters.cursor !== undefined && { after: filters.cursor }),
    limit: filters.limit + 1,
  });
  const page = pageOf(records, filters.limit);
  return {
    events: page.events.map((record) => ({ id: record.id, ...eventOf(record.event) })),
    nextCursor: page.nextCursor,
  };
}
