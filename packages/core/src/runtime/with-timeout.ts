/**
 * Rejects when `promise` has not settled after `ms`: a port that hangs (a
 * throttle store whose client queues commands while it reconnects, a remote
 * password screen) counts as a failing one instead of hanging the request.
 * The rejection's `code` is `TIMEOUT` (what the logs show).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} did not answer in time`), { code: "TIMEOUT" })),
      ms,
    );
    timer.unref?.();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
