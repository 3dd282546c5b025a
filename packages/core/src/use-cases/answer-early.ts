import { ok, type Result, ResultAsync } from "neverthrow";
import type { Dependencies } from "./dependencies.js";

/** Answers the caller before the unit of work that decided the answer has finished. */
export type Answer<T> = (value: T) => void;

/**
 * PWD-2 v2, LCK-8: runs `work` and answers the caller as soon as `work`
 * calls `answer`, without waiting for what comes after (writes only one
 * branch makes, the commit). So the answer takes as long for a registered
 * e-mail as for an unknown one, whatever the store.
 *
 * What runs after the answer is awaited by `settled()`. If it fails then, the
 * caller has its answer already: the failure is reported as a
 * `backgroundWork.failed` event, never thrown into the host. If `work` ends
 * before calling `answer`, its own result is the answer.
 */
export function answerEarly<T, E>(
  deps: Dependencies,
  operation: "forgotPassword" | "login",
  work: (answer: Answer<T>) => ResultAsync<T, E>,
): ResultAsync<T, E> {
  let answered = false;
  let answer: Answer<T> = () => {};
  const early = new Promise<Result<T, E>>((resolve) => {
    answer = (value) => {
      if (answered) return;
      answered = true;
      resolve(ok(value));
    };
  });
  const whole: Promise<Result<T, E>> = Promise.resolve(work(answer));
  const finished = whole.then(
    async (result) => {
      if (answered && result.isErr()) await report(deps, operation, "STORAGE_FAILED");
    },
    async (defect: unknown) => {
      if (answered) await report(deps, operation, "DEFECT");
      else throw defect;
    },
  );
  const background = finished.catch(() => {});
  deps.deliveries.add(background);
  void background.finally(() => deps.deliveries.delete(background));
  return new ResultAsync(Promise.race([early, finished.then(() => whole)]));
}

async function report(
  { events, clock }: Dependencies,
  operation: "forgotPassword" | "login",
  reason: "STORAGE_FAILED" | "DEFECT",
): Promise<void> {
  try {
    const actor = { type: "anonymous" } as const;
    await events.publish({
      type: "backgroundWork.failed",
      at: clock.now(),
      actor,
      operation,
      reason,
    });
  } catch {
    // The caller has its answer; a failing sink changes nothing.
  }
}
