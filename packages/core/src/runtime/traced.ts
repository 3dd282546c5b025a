import { ResultAsync } from "neverthrow";
import type { Dependencies } from "./dependencies.js";
import { inSpan, markFailed } from "./tracing.js";

/**
 * Runs one entry point inside a span `panel-access <name>` (attribute
 * `panel_access.operation`). A refusal adds `panel_access.error` with its
 * stable code (`LOGIN_FAILED`, `INVALID_INPUT`…), never its details; only a
 * store failure marks the span as failed, since a refusal is an answer.
 */
export function inEntryPointSpan<T, E>(
  deps: Dependencies,
  name: string,
  run: () => ResultAsync<T, E>,
): ResultAsync<T, E> {
  return new ResultAsync(
    inSpan(
      deps.tracer,
      `panel-access ${name}`,
      { "panel_access.operation": name },
      () => Promise.resolve(run()),
      (span, result) => {
        if (result.isOk()) return;
        const code = errorType(result.error);
        span.setAttribute("panel_access.error", code);
        if (code === "STORAGE_FAILED") markFailed(span, code);
      },
    ),
  );
}

/** An entry point `(deps, input) => ResultAsync` as the library's method, in a span. */
export function traced<I, T, E>(
  deps: Dependencies,
  name: string,
  run: (deps: Dependencies, input: I) => ResultAsync<T, E>,
): (input: I) => ResultAsync<T, E> {
  return (input) => inEntryPointSpan(deps, name, () => run(deps, input));
}

function errorType(error: unknown): string {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : "UNKNOWN";
}
