import { ok, type Result, ResultAsync } from "neverthrow";
import { inBackground } from "./background.js";
import type { Dependencies } from "./dependencies.js";

/** Answers the caller before the unit of work that decided the answer has finished. */
export type Answer<T> = (value: T) => void;

/**
 * What to do when the work fails after its answer: try to save what must not
 * be lost (a failed login's count) in a fresh unit of work. Answers whether
 * it did, and the account concerned, if any, for the event otherwise.
 */
export type Recover<T> = (answered: T) => Promise<{ saved: boolean; accountId: string | null }>;

/**
 * PWD-2 v2, LCK-8: runs `work` and answers the caller as soon as `work`
 * calls `answer`, without waiting for what comes after (writes only one
 * branch makes, the commit). So the answer takes as long for a registered
 * e-mail as for an unknown one, whatever the store.
 *
 * What runs after the answer is awaited by `settled()`. If it fails then, the
 * caller has its answer already: the failure is reported as a
 * `backgroundWork.failed` event, never thrown into the host (after
 * `recover` had a chance to save what must not be lost). If `work` ends
 * before calling `answer`, its own result is the answer.
 */
export function answerEarly<T, E>(
  deps: Dependencies,
  operation: "forgotPassword" | "login",
  work: (answer: Answer<T>) => ResultAsync<T, E>,
  recover: Recover<T> = async () => ({ saved: false, accountId: null }),
): ResultAsync<T, E> {
  let answered: { value: T } | null = null;
  let answer: Answer<T> = () => {};
  const early = new Promise<Result<T, E>>((resolve) => {
    answer = (value) => {
      if (answered !== null) return;
      answered = { value };
      resolve(ok(value));
    };
  });
  const whole: Promise<Result<T, E>> = Promise.resolve(work(answer));
  const afterAnswer = async (reason: "STORAGE_FAILED" | "DEFECT", given: { value: T }) => {
    const recovered = await recover(given.value).catch(() => ({ saved: false, accountId: null }));
    if (!recovered.saved) await report(deps, operation, reason, recovered.accountId);
  };
  const finished = whole.then(
    async (result) => {
      if (answered !== null && result.isErr()) await afterAnswer("STORAGE_FAILED", answered);
    },
    async (defect: unknown) => {
      if (answered !== null) await afterAnswer("DEFECT", answered);
      else throw defect;
    },
  );
  inBackground(deps, finished);
  return new ResultAsync(Promise.race([early, finished.then(() => whole)]));
}

async function report(
  { events, clock }: Dependencies,
  operation: "forgotPassword" | "login",
  reason: "STORAGE_FAILED" | "DEFECT",
  accountId: string | null,
): Promise<void> {
  try {
    const actor = { type: "anonymous" } as const;
    await events.publish({
      type: "backgroundWork.failed",
      at: clock.now(),
      actor,
      operation,
      reason,
      accountId,
    });
  } catch {
    // The caller has its answer; a failing sink changes nothing.
  }
}
