import type { LinkPurpose, LinksTx, OneTimeLinkRecord } from "@panel-access/core";
import type { DateTime } from "luxon";
import { MemoryConstraintError } from "./constraint-error.js";
import { linkKey } from "./tables.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** The row lock a link's guarded writes (and a cleanup deleting it) take. */
export const linkRowLock = (id: string) => `link:${id}`;

/**
 * One-time links, unique by id and by (account, purpose, sequence > 0). A
 * consumption holds the link's row lock until the unit of work ends, so two
 * callers never both consume a link.
 */
export function linksTx(unit: UnitOfWork): LinksTx {
  return {
    async findLink(id: string): Promise<OneTimeLinkRecord | null> {
      return unit.links.get(id) ?? null;
    },

    async findLatestLink(
      accountId: string,
      purpose: LinkPurpose,
    ): Promise<OneTimeLinkRecord | null> {
      let latest: OneTimeLinkRecord | null = null;
      for (const link of unit.links.by("accountPurpose", linkKey(accountId, purpose))) {
        if (latest === null || link.sequence > latest.sequence) latest = link;
      }
      return latest;
    },

    async countLinksIssuedSince(
      accountId: string,
      purpose: LinkPurpose,
      since: DateTime,
    ): Promise<number> {
      let count = 0;
      for (const link of unit.links.by("accountPurpose", linkKey(accountId, purpose))) {
        if (link.issuedAt.toMillis() >= since.toMillis()) count += 1;
      }
      return count;
    },

    async createLink(link: OneTimeLinkRecord): Promise<void> {
      const clash =
        unit.links.has(link.id) ||
        (link.sequence > 0 &&
          [...unit.links.by("accountPurpose", linkKey(link.accountId, link.purpose))].some(
            (existing) => existing.sequence === link.sequence,
          ));
      if (clash)
        throw new MemoryConstraintError("link id or (account, purpose, sequence) already exists");
      if (!unit.accounts.has(link.accountId))
        throw new MemoryConstraintError("link of an unknown account");
      unit.links.set(link.id, link);
    },

    async consumeLink(id: string, at: DateTime): Promise<boolean> {
      await unit.lockRow(linkRowLock(id));
      const link = unit.links.get(id);
      if (link === undefined || link.consumedAt !== null) return false;
      unit.links.set(id, { ...link, consumedAt: at });
      return true;
    },

    async consumeOpenLinks(accountId: string, purpose: LinkPurpose, at: DateTime): Promise<number> {
      const open = [...unit.links.by("accountPurpose", linkKey(accountId, purpose))].filter(
        (link) => link.consumedAt === null,
      );
      for (const link of open) {
        await unit.lockRow(linkRowLock(link.id));
        const current = unit.links.get(link.id);
        if (current?.consumedAt === null) unit.links.set(link.id, { ...current, consumedAt: at });
      }
      return open.length;
    },
  };
}
