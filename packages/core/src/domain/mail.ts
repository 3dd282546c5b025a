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
    };

export type MailKind = MailIntent["kind"];
