import type { DateTime } from "luxon";
import type { AccessTerm } from "./access.js";
import type { Actor } from "./actor.js";
import type { MailKind } from "./mail.js";

interface EventBase {
  readonly at: DateTime;
  readonly actor: Actor;
}

/**
 * AUD-1: every state change emits one of these. They name who, what, which
 * account and panel, and when; never a password, code, secret or raw token.
 */
export type DomainEvent =
  | (EventBase & { readonly type: "panel.created"; readonly panelId: string })
  | (EventBase & { readonly type: "account.created"; readonly accountId: string })
  | (EventBase & {
      readonly type: "invitation.sent";
      readonly accountId: string;
      readonly panelId: string;
      /** The id of the link record (the token's public selector), not its secret. */
      readonly invitationId: string;
      readonly expiresAt: DateTime;
    })
  | (EventBase & {
      readonly type: "membership.granted";
      readonly accountId: string;
      readonly panelId: string;
      readonly role: string;
      readonly access: AccessTerm;
    })
  | (EventBase & {
      readonly type: "membership.changed";
      readonly accountId: string;
      readonly panelId: string;
      readonly role: string;
      readonly access: AccessTerm;
      readonly previousRole: string;
      readonly previousAccess: AccessTerm;
    })
  | (EventBase & {
      readonly type: "membership.removed";
      readonly accountId: string;
      readonly panelId: string;
    })
  | (EventBase & {
      readonly type: "access.restored";
      readonly accountId: string;
      readonly panelId: string;
    })
  | (EventBase & { readonly type: "account.registered"; readonly accountId: string })
  | (EventBase & {
      /** MAIL-2: the state change stands; the message can be sent again. */
      readonly type: "mail.failed";
      readonly kind: MailKind;
      readonly accountId: string;
    });

export type DomainEventType = DomainEvent["type"];
