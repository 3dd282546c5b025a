import { deepStrictEqual } from "node:assert/strict";
import { livePanelsOf, type Model, panelStatusOf, statusOf } from "../state.js";
import { administratorOf } from "./cast.js";
import { type ExpectedMail, learnFrom, panelKey } from "./expected-mail.js";
import type { Real } from "./real.js";

/**
 * After every command: the messages sent match the model's (kind, recipient,
 * stated expiry), and their links become the model's tokens; every person's
 * status in each panel's User Management and the panels each account can
 * enter match the model.
 */
export async function observe(
  model: Model,
  real: Real,
  expected: readonly ExpectedMail[],
  label: string,
) {
  await real.panelAccess.settled();
  model.steps += 1;
  const fresh = real.mailer.sent.slice(real.mailSeen);
  real.mailSeen = real.mailer.sent.length;
  // Messages of one unit of work go out in no promised order: compared as a multiset.
  const address = (mail: { kind: string; to: string }) => `${mail.kind}→${mail.to}`;
  deepStrictEqual(
    fresh.map(address).sort(),
    expected.map(address).sort(),
    `${label}: the messages sent`,
  );
  const unmatched = [...expected];
  for (const message of fresh) {
    const index = unmatched.findIndex((mail) => address(mail) === address(message));
    const [matching] = unmatched.splice(index, 1);
    learnFrom(model, real, message, matching, label);
  }

  for (const key of model.panels) {
    const members = (
      await real.panelAccess.listMembers({
        actor: real.administrators[administratorOf(model, key)] ?? real.admin,
        panelId: real.panelIds.get(key) ?? "",
      })
    )._unsafeUnwrap();
    const actual = Object.fromEntries(
      members
        .filter((member) => !real.administratorIds.has(member.accountId))
        .map((member) => [member.email, member.status]),
    );
    const predicted = Object.fromEntries(
      model.people.flatMap((person) => {
        const status = panelStatusOf(person, key, model.now);
        return status === null ? [] : [[person.email, status]];
      }),
    );
    deepStrictEqual(actual, predicted, `${label}: statuses in panel ${key}`);
  }
  for (const person of model.people) {
    const accountId = real.accountIds.get(person.email);
    if (accountId === undefined) continue;
    const live = (await real.panelAccess.getLivePanels({ accountId }))._unsafeUnwrap();
    deepStrictEqual(
      live.map((livePanel) => panelKey(real, livePanel.panel.id)).sort(),
      livePanelsOf(person, model.now).sort(),
      `${label}: live panels of ${person.email} (status ${statusOf(person, model.now)})`,
    );
  }
}
