import type { ActivityEvent, ActivityPage, DomainEvent } from "@panel-access/core";
import type { ResultAsync } from "neverthrow";
import { expect } from "vitest";

/** The support team, as the listings' operator actor. */
export const OPERATOR = { type: "operator", operatorId: "support-7" } as const;

/**
 * Every event a listing answers, page after page (`limit` each), newest
 * first; fails the test on a refusal.
 */
export async function everyPage<I extends object>(
  list: (input: I & { cursor?: string; limit?: number }) => ResultAsync<ActivityPage, unknown>,
  input: I,
  limit = 200,
): Promise<ActivityEvent[]> {
  const events: ActivityEvent[] = [];
  let cursor: string | null = null;
  do {
    const page: ActivityPage = (
      await list({ ...input, limit, ...(cursor !== null && { cursor }) })
    )._unsafeUnwrap();
    expect(page.events.length).toBeLessThanOrEqual(limit);
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return events;
}

/** An event as JSON: instants as ISO text, so that stored and published events compare. */
export const asJson = (event: DomainEvent): unknown => JSON.parse(JSON.stringify(event));

/** A listed event without its id in the trail: the domain event itself. */
export function withoutId({ id: _, ...event }: ActivityEvent): DomainEvent {
  return event as DomainEvent;
}
