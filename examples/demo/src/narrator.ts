/** What every chapter of the story needs: the library, its clock and mailer, and `step` to print each move. */

import type { PanelAccess } from "@panel-access/core";
import type { EventRecorder, ManualClock, RecordingMailer } from "@panel-access/testkit";
import type { DateTime } from "luxon";
import type { Result } from "neverthrow";
import { describeEvent, describeMail } from "./describe.js";

export interface Story {
  readonly panelAccess: PanelAccess;
  readonly clock: ManualClock;
  readonly mailer: RecordingMailer;
  /** When the story begins: day 0. */
  readonly start: DateTime;
  /** Prints what happened since the last step: the outcome, new mail, new audit events. */
  step<T, E>(
    title: string,
    result: Result<T, E>,
    outcome?: (value: T) => string,
  ): Promise<T | undefined>;
  /** The token of the latest invitation sent to `email` ("" if none). */
  tokenIn(email: string): string;
}

export function createStory(parts: {
  panelAccess: PanelAccess;
  clock: ManualClock;
  mailer: RecordingMailer;
  events: EventRecorder;
}): Story {
  const { panelAccess, clock, mailer, events } = parts;
  const start = clock.now();
  let mailShown = 0;
  let eventsShown = 0;
  const day = () => `day ${Math.floor(clock.now().diff(start, "days").days)}`;

  async function step<T, E>(
    title: string,
    result: Result<T, E>,
    outcome: (value: T) => string = () => "ok",
  ): Promise<T | undefined> {
    await panelAccess.settled(); // mail is sent after the answer (MAIL-4)
    console.log(`\n[${day()}] ${title}`);
    console.log(
      result.isOk()
        ? `  → ${outcome(result.value)}`
        : `  → refused: ${JSON.stringify(result.error)}`,
    );
    for (const mail of mailer.sent.slice(mailShown))
      console.log(`  ✉ to ${mail.to}: ${describeMail(mail)}`);
    for (const event of events.events.slice(eventsShown))
      console.log(`  · audit: ${describeEvent(event)}`);
    mailShown = mailer.sent.length;
    eventsShown = events.events.length;
    return result.isOk() ? result.value : undefined;
  }

  const tokenIn = (email: string) => {
    const invitation = mailer.last(email, "invitation");
    return invitation ? (new URL(invitation.link).searchParams.get("token") ?? "") : "";
  };

  return { panelAccess, clock, mailer, start, step, tokenIn };
}
