import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { templateContext } from "../src/index.js";

const options = (timeZone: string, locale: string) =>
  ({
    from: "no-reply@acme.example",
    productName: "Acme",
    supportContact: "support@acme.example",
    timeZone,
    locale,
    templates: {},
  }) as Parameters<typeof templateContext>[0];

describe("MAIL-1: instants in messages", () => {
  it("MAIL-1: formatInstant writes every instant exactly as luxon's DATETIME_FULL in the host's zone and locale (named zones, UTC, a fixed offset), across DST changes", () => {
    const instants = [
      "2026-01-12T09:00:00.000Z",
      "2026-03-29T00:59:59.999Z", // just before the EU clocks go forward
      "2026-03-29T01:00:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-11-01T06:30:00.000Z", // US clocks go back
      "2027-02-28T23:59:00.000Z",
    ].map((iso) => DateTime.fromISO(iso, { zone: "utc" }));
    const zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC+3"];
    const locales = ["en-GB", "en-US", "de-DE", "fr-FR", "ja-JP"];
    let checked = 0;
    for (const zone of zones) {
      for (const locale of locales) {
        const { formatInstant } = templateContext(options(zone, locale));
        for (const instant of instants) {
          const luxon = instant
            .setZone(zone)
            .setLocale(locale)
            .toLocaleString(DateTime.DATETIME_FULL);
          expect(formatInstant(instant)).toBe(luxon);
          checked += 1;
        }
      }
    }
    expect(checked).toBe(zones.length * locales.length * instants.length);
  });
});
