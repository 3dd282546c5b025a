import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import { type AccessTerm, hasAccessEnded } from "../../domain/access.js";
import { type AccountRecord, NO_LOCKOUT } from "../../domain/account.js";
import type { Actor } from "../../domain/actor.js";
import {
  ADMINISTRATOR_ROLE,
  isMembershipLive,
  type MembershipRecord,
} from "../../domain/membership.js";
import type { PanelRecord } from "../../domain/panel.js";
import type { AccessEndNotInFuture, LastAdministrator, NoLiveAccess } from "../../errors.js";
import { issueInvitation } from "../../invitations/steps/issue-invitation.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import type { Outbox } from "../../runtime/outbox.js";
import { loginLink } from "../../runtime/steps/security-notice.js";
import { newId } from "../../secrets/tokens.js";
import { keepAnAdministrator } from "./keep-an-administrator.js";

/** What the person was told about a grant. */
export type GrantNotice =
  /** ACC-1, ACC-2b: unregistered: an invitation link was sent. */
  | "invitation"
  /** PNL-3: registered and access restored: an "access restored" e-mail was sent. */
  | "accessRestored"
  /** ACC-2 v2: registered and newly added: an "access granted" notice was sent (MAIL-3). */
  | "accessGranted"
  /** Registered, and a live membership was only changed: nothing sent. */
  | "none";

/** What a grant of access answers: the account and what the person was told. */
export interface Grant {
  readonly accountId: string;
  readonly notice: GrantNotice;
  /** When the invitation sent with this grant expires; `null` if none was sent. */
  readonly invitationExpiresAt: DateTime | null;
}

export interface GrantRequest {
  readonly actor: Actor;
  readonly panel: PanelRecord;
  readonly email: string;
  readonly role: string;
  readonly access: AccessTerm;
  readonly now: DateTime;
  /**
   * When a registered person gets the "access restored" e-mail: `always`
   * (an explicit re-invite) or `whenEnded` (an addition that brings back
   * access to this panel that had ended).
   */
  readonly tellRegistered: "always" | "whenEnded";
}

/** Why a grant of access was refused. */
export type GrantRefused = AccessEndNotInFuture | LastAdministrator | NoLiveAccess;

/**
 * Creates or replaces the person's membership of the panel, creating an
 * unregistered account for an unknown e-mail (ACC-1) and telling the person
 * what they need to know (ACC-1, ACC-2, ACC-2b, PNL-3).
 */
export async function grantAccess(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: GrantRequest,
): Promise<Result<Grant, GrantRefused>> {
  const { actor, panel, email, role, access, now } = request;
  if (hasAccessEnded(access, now)) return err({ type: "ACCESS_END_NOT_IN_FUTURE" });

  let account = await tx.findAccountByEmail(email);
  if (account === null) {
    account = newAccount(deps, email, now);
    await tx.createAccount(account);
    outbox.recordEvent({ type: "account.created", at: now, actor, accountId: account.id });
  }
  const previous = await tx.findMembership(account.id, panel.id);
  const wasLive = previous !== null && isMembershipLive(previous, now);
  if (wasLive && role !== ADMINISTRATOR_ROLE) {
    const kept = await keepAnAdministrator(tx, previous, now);
    if (kept.isErr()) return err(kept.error);
  }
  const membership: MembershipRecord = {
    accountId: account.id,
    panelId: panel.id,
    role,
    access,
    grantedAt: wasLive ? previous.grantedAt : now,
    updatedAt: now,
  };
  await tx.putMembership(membership);
  const ids = { accountId: account.id, panelId: panel.id };
  outbox.recordEvent(
    wasLive
      ? {
          type: "membership.changed",
          at: now,
          actor,
          ...ids,
          role,
          access,
          previousRole: previous.role,
          previousAccess: previous.access,
        }
      : { type: "membership.granted", at: now, actor, ...ids, role, access },
  );

  if (account.registeredAt === null) {
    const invitation = await issueInvitation(deps, tx, outbox, {
      account,
      panel,
      role,
      actor,
      now,
    });
    if (invitation.isErr()) return err(invitation.error);
    return ok({
      accountId: account.id,
      notice: "invitation",
      invitationExpiresAt: invitation.value.invitationExpiresAt,
    });
  }
  const restoring = request.tellRegistered === "always" || (previous !== null && !wasLive);
  if (!restoring && wasLive) {
    return ok({ accountId: account.id, notice: "none", invitationExpiresAt: null });
  }
  if (!restoring) {
    // ACC-2 v2: a registered person newly added is told (MAIL-3); no link to register.
    const grantedBy = actor.type === "account" ? await emailOf(tx, actor.accountId) : null;
    outbox.sendMail(
      {
        kind: "accessGranted",
        to: account.email,
        loginLink: loginLink(deps),
        panel: { id: panel.id, name: panel.name },
        role,
        access,
        grantedBy,
        at: now,
      },
      account.id,
    );
    return ok({ accountId: account.id, notice: "accessGranted", invitationExpiresAt: null });
  }
  outbox.sendMail(
    {
      kind: "accessRestored",
      to: account.email,
      loginLink: loginLink(deps),
      panel: { id: panel.id, name: panel.name },
      role,
      access,
    },
    account.id,
  );
  outbox.recordEvent({ type: "access.restored", at: now, actor, ...ids });
  return ok({ accountId: account.id, notice: "accessRestored", invitationExpiresAt: null });
}

async function emailOf(tx: StorageTx, accountId: string): Promise<string | null> {
  return (await tx.findAccountById(accountId))?.email ?? null;
}

function newAccount(deps: Dependencies, email: string, now: DateTime): AccountRecord {
  return {
    id: newId(deps.random),
    email,
    createdAt: now,
    passwordHash: null,
    registeredAt: null,
    lockout: NO_LOCKOUT,
    twoFactor: null,
  };
}
