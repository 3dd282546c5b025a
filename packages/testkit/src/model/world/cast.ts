import type { Model } from "../state.js";

/** Who is in every history: the panels, their administrators, and how many people the model adds. */
export const PANELS = ["A", "B", "C"] as const;
/**
 * TFA-8 v2: who administers what. The first administrator created A and B;
 * the second created C and was made an administrator of B. So each reaches a
 * panel the other does not, and B has two administrators (PNL-6 still holds
 * everywhere: the model never changes an administrator's membership).
 */
export const ADMINISTRATORS: readonly (readonly (typeof PANELS)[number][])[] = [
  ["A", "B"],
  ["B", "C"],
];
export const PEOPLE = 3;

/** The first administrator of a panel (the one the model's administrative commands act as). */
export function administratorOf(model: Readonly<Model>, panel: string): number {
  const index = model.administrators.findIndex((panels) => panels.includes(panel));
  if (index < 0) throw new Error(`nobody administers panel ${panel}`);
  return index;
}
