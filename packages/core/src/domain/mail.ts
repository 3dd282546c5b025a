import type { DateTime } from "luxon";
import type { AccessTerm } from "./access.js";

/** The panel as named in a message. */
export interface PanelRef {
  readonly id: string;
  readonly name: string;
}

/**
 * What the core asks the mailer to send (MAIL-1): typed intents, never
 * rendered text. Rendering belongs to the mail adapter.
 */
export type MailIntent =
  | {
      /** ACC-1, ACC-2b, ACC-7: an invitation to register. */
      readonly kind: "invitation";
      readonly to: string;
      /** The registration link; it carries the one-time token. */
      readonly link: string;
      readonly expiresAt: DateTime;
      readonly panel: PanelRef;
      readonly role: string;
    }
  | {
      /** PNL-3: a registered person was re-invited; access is restored at once. */
      readonly kind: "accessRestored";
      readonly to: string;
      readonly loginLink: string;
      readonly panel: PanelRef;
      readonly role: string;
      readonly access: AccessTerm;
    }
  | {
      /** PWD-2, PWD-3: the "forgot password" link. */
      readonly kind: "passwordReset";
      readonly to: string;
      readonly link: string;
      readonly expiresAt: DateTime;
    }
  | {
      /** LCK-2: the account was locked; a reset link reopens it. */
      readonly kind: "accountLocked";
      readonly to: string;
      readonly resetLink: string;
      readonly expiresAt: DateTime;
    }
  | {
      /** LCK-5: the account is permanently blocked; only support can reopen it. */
      readonly kind: "accountBlocked";
      readonly to: string;
    }
  | {
      /** TFA-8: an administrator reset the two-factor setup; the next login sets it up anew. */
      readonly kind: "twoFactorReset";
      readonly to: string;
      readonly panel: PanelRef;
      readonly loginLink: string;
    };

/** The six kinds of message (MAIL-1). */
export type MailKind = MailIntent["kind"];
