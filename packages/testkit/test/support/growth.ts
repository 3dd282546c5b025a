import type { MixReport, RecordCounts } from "./mixed-operations.js";

/** The kinds a cleanup deletes, each of which must stay flat on its own. */
const CLEANED_KINDS = [
  "links",
  "sessions",
  "rememberedBrowsers",
  "mail",
  "throttleCounters",
  "auditEvents",
] as const;

/** The kinds a cleanup deletes that this run's store counts (audit events only where it keeps them). */
function cleanedKindsOf(report: MixReport): string[] {
  const counted = report.samples.at(-1)?.counts ?? {};
  return CLEANED_KINDS.filter((kind) => kind in counted);
}

/**
 * The longest a record of this mix outlives its creation: an invitation
 * link valid 7 days (`invitationValidity`), then kept 30 (`keepLinksFor`).
 * Everything else goes sooner: sessions within 12 hours, remembered
 * browsers within 7 days, challenges and reset links 30 days after their
 * minutes of life, sent mail 30 days after it was sent (at once), throttle
 * counters about a week after their last change (a 24-hour half-life,
 * forgotten below 0.01), audit events after the 30 days the run keeps them.
 */
const LONGEST_LIFE_DAYS = 37;

/** The records of `kinds` (default: every kind) in `counts`. */
function sum(counts: RecordCounts, kinds: readonly string[] = Object.keys(counts)): number {
  return kinds.reduce((total, kind) => total + (counts[kind] ?? 0), 0);
}

/** The peak count of `kinds` (default: every kind) over the first and over the second half of the calls. */
function peaksByHalf(report: MixReport, kinds?: readonly string[]) {
  const calls = report.samples.at(-1)?.calls ?? 0;
  const peak = (inHalf: (at: number) => boolean) =>
    Math.max(
      ...report.samples
        .filter((sample) => inHalf(sample.calls))
        .map((sample) => sum(sample.counts, kinds)),
    );
  return { first: peak((at) => at <= calls / 2), second: peak((at) => at > calls / 2) };
}

/**
 * The most the store can hold once warm, if every record it made lived as
 * long as the longest-lived: the records that never go, plus records made
 * per simulated day (made = deleted by cleanups + left at the end − those
 * that never go) times that life and one interval between cleanups.
 */
function steadyStateBound(report: MixReport, cleanupEvery: number): number {
  const calls = report.samples.at(-1)?.calls ?? 0;
  const left = sum(report.samples.at(-1)?.counts ?? {});
  const madePerDay = (report.deleted + left - report.population) / report.simulatedDays;
  const cleanupInterval = (report.simulatedDays * cleanupEvery) / calls;
  return Math.ceil(report.population + madePerDay * (LONGEST_LIFE_DAYS + cleanupInterval));
}

/** One check that a store stays flat: the second half's peak against what it may reach. */
export interface FlatnessCheck {
  readonly what: string;
  readonly peak: number;
  readonly allowed: number;
}

/**
 * The checks a flat store passes, for the run with cleanup and its contrast
 * alike: for each kind a cleanup deletes, and for all records, the second
 * half's peak within 1.2 × the first half's (once warm, no growth with the
 * number of calls); and all records within the steady-state bound.
 */
export function flatnessChecks(report: MixReport, cleanupEvery: number): FlatnessCheck[] {
  const againstFirstHalf = (what: string, kinds?: readonly string[]) => {
    const { first, second } = peaksByHalf(report, kinds);
    return {
      what: `${what}: second half's peak vs 1.2 × the first's`,
      peak: second,
      allowed: 1.2 * first,
    };
  };
  return [
    ...cleanedKindsOf(report).map((kind) => againstFirstHalf(kind, [kind])),
    againstFirstHalf("all records"),
    {
      what: "all records: second half's peak vs the steady-state bound",
      peak: peaksByHalf(report).second,
      allowed: steadyStateBound(report, cleanupEvery),
    },
  ];
}
