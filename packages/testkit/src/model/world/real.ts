import type { Actor, PanelAccess } from "@panel-access/core";
import type { ManualClock, RecordingMailer } from "@panel-access/core/testing";

/** The library under test, as one history drives it. */
export interface Real {
  readonly panelAccess: PanelAccess;
  readonly clock: ManualClock;
  readonly mailer: RecordingMailer;
  /** The first administrator (of panels A and B): `administrators[0]`. */
  readonly admin: Actor;
  /** The administrators' actors, by the index of `Model.administrators`. */
  readonly administrators: readonly Actor[];
  /** Their account ids (left out of what User Management shows of the people). */
  readonly administratorIds: ReadonlySet<string>;
  /** Their e-mails, by the same index (ACC-2 v2: a notice names who granted access). */
  readonly administratorEmails: readonly string[];
  /** Model panel key → real panel id. */
  readonly panelIds: ReadonlyMap<string, string>;
  /** E-mail → account id, once the account exists. */
  readonly accountIds: Map<string, string>;
  /** How many messages of `mailer.sent` the model has accounted for. */
  mailSeen: number;
}
