import type { AccessTerm } from "@panel-access/core";
import fc from "fast-check";
import type { DateTime } from "luxon";
import { BOUNDARY_DURATIONS } from "./model/check.js";

/** E-mails the library accepts, in mixed case with spaces around (it normalises them). */
export const emails = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
      fc.constantFrom("test", "example", "co.uk"),
      fc.constantFrom("", " ", "  "),
      fc.boolean(),
    )
    .map(([local, domain, tld, pad, upper]) => {
      const email = `${local.replace(/[._-]+$/, "") || "x"}@${domain}.${tld}`;
      return `${pad}${upper ? email.toUpperCase() : email}${pad}`;
    });

/**
 * Durations in milliseconds, mostly on the rules' boundaries and 1 ms
 * either side (30 s, 10 min, 30 min, 1 h, 12 h, 3 days, 7 days), sometimes
 * anywhere up to 8 days.
 */
export const durationsNearBoundaries = (): fc.Arbitrary<number> =>
  fc
    .oneof(
      {
        weight: 3,
        arbitrary: fc
          .constantFrom(...BOUNDARY_DURATIONS)
          .chain((ms) => fc.constantFrom(ms - 1, ms, ms + 1)),
      },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 * 86_400_000 }) },
    )
    .filter((ms) => ms > 0);

/** Access terms valid at `now`: permanent, or temporary ending after a duration near a boundary. */
export const accessTerms = (now: DateTime): fc.Arbitrary<AccessTerm> =>
  fc.oneof(
    fc.constant({ type: "permanent" } as const),
    durationsNearBoundaries().map((ms) => ({
      type: "temporary" as const,
      endsAt: now.plus({ milliseconds: ms }),
    })),
  );

/**
 * Passwords PWD-1 accepts: 8 to 256 code points, any Unicode. The password
 * screen (PWD-6) may still refuse some of them at registration and reset
 * (`aaaaaaaa`, `password`).
 */
export const passwords = (): fc.Arbitrary<string> =>
  fc.string({ unit: "grapheme", minLength: 8, maxLength: 64 }).filter((p) => {
    const length = [...p.normalize("NFC")].length;
    return length >= 8 && length <= 256;
  });
