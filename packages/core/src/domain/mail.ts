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
      /**
       * TFA-8: the two-factor setup was reset; the next login sets it up anew.
       * `panel` names the panel whose administrator did it; `null` when the
       * support team did it (TFA-8 v2).
       */
      readonly kind: "twoFactorReset";
      readonly to: string;
      readonly panel: PanelRef | null;
      readonly loginLink: string;
    }
  | {
      /**
       * ACC-2 v2, MAIL-3: a registered person was given access to a panel. A
       * notice, not an invitation: nothing in it needs doing.
       */
      readonly kind: "accessGranted";
      readonly to: string;
      readonly loginLink: string;
      readonly panel: PanelRef;
      readonly role: string;
      readonly access: AccessTerm;
      /** The e-mail of the administrator who added them; `null` when no administrator did (the host or the support team created the panel). */
      readonly grantedBy: string | null;
      readonly at: DateTime;
    }
  | {
      /** MAIL-3: the password was changed through a reset link (PWD-3). */
      readonly kind: "passwordChanged";
      readonly to: string;
      readonly at: DateTime;
      /** Where the person starts a new reset if it was not them. */
      readonly loginLink: string;
    }
  | {
      /** MAIL-3: two-factor authentication was set up (TFA-2). */
      readonly kind: "twoFactorEnabled";
      readonly to: string;
      readonly at: DateTime;
      readonly loginLink: string;
    }
  | {
      /** MAIL-3: a new set of backup codes replaced the old one (TFA-6). */
      readonly kind: "backupCodesRegenerated";
      readonly to: string;
      readonly at: DateTime;
      readonly loginLink: string;
    }
  | {
      /** MAIL-3: a browser was remembered and skips the second factor until `until` (TFA-7). */
      readonly kind: "browserRemembered";
      readonly to: string;
      readonly at: DateTime;
      /** The label the host gave the browser (TFA-13), if any. */
      readonly label: string | null;
      readonly until: DateTime;
      readonly loginLink: string;
    };

/** The kinds of message: MAIL-1's six and MAIL-3's security notices. */
export type MailKind = MailIntent["kind"];
