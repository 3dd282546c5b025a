/** Small statistics shared by the bench scripts. */
import { performance } from "node:perf_hooks";

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

export const median = (values: readonly number[]) => {
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export const mean = (values: readonly number[]) =>
  values.reduce((sum, v) => sum + v, 0) / Math.max(values.length, 1);

/** The `p`-th percentile (0 to 100), nearest rank. */
export const percentile = (values: readonly number[], p: number) => {
  const s = sorted(values);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
};

/** The median of `a[i] / b[i]`: each pair was measured back to back, so slow drift cancels. */
export const pairedRatio = (a: readonly number[], b: readonly number[]) =>
  median(a.map((x, i) => x / (b[i] ?? x)));

/** Milliseconds until `run`'s answer (a promise, or a thenable such as `ResultAsync`) resolves. */
export const time = async (run: () => unknown) => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};

export const f = (n: number, digits = 3) => n.toFixed(digits);

/**
 * `n` back-to-back pairs of `a` and `b`, in ABBA order (neither side always
 * runs first); answers the times of each side, pair by pair, for `pairedRatio`.
 */
export async function backToBack(
  n: number,
  a: () => unknown,
  b: () => unknown,
): Promise<[number[], number[]]> {
  const as: number[] = [];
  const bs: number[] = [];
  const runA = async () => as.push(await time(a));
  const runB = async () => bs.push(await time(b));
  for (let i = 0; i < n; i++) {
    if (i % 2) await runA().then(runB);
    else await runB().then(runA);
  }
  return [as, bs];
}
