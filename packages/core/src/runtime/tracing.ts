import type { SpanAttributes, Tracer, TraceSpan } from "../ports/tracer.js";

/** OpenTelemetry's `SpanStatusCode.ERROR`. */
const ERROR = 2;
/** OpenTelemetry's `SpanKind.INTERNAL` and `SpanKind.CLIENT`. */
export const SPAN_KIND = { internal: 0, client: 2 } as const;

/** The tracer the library's spans go to, or `null`: spans cost nothing then. */
export type TracerSource = Promise<Tracer | null>;

let fromApi: TracerSource | undefined;

/**
 * The tracer of `@opentelemetry/api`, an optional peer dependency, loaded
 * once: `null` when the host has not installed it. Without an SDK
 * registered, the API's tracer is a no-op itself.
 */
export function tracerFromOpenTelemetryApi(): TracerSource {
  fromApi ??= import(/* webpackIgnore: true */ "@opentelemetry/api").then(
    (api) => api.trace.getTracer("@panel-access/core") as Tracer,
    () => null,
  );
  return fromApi;
}

/**
 * Runs `work` inside a span named `name` (its parent is whatever span is
 * active), ends it when `work` settles, and lets `describe` add attributes
 * from the answer. A rejection sets the span's status to error with the
 * error's name only (never its message, which may quote input). A tracer
 * that throws changes nothing: `work` runs once, without its span if the
 * span could not start, and what the tracer throws afterwards is ignored.
 */
export async function inSpan<T>(
  tracer: TracerSource,
  name: string,
  attributes: SpanAttributes,
  work: () => Promise<T>,
  describe?: (span: TraceSpan, value: T) => void,
  kind: number = SPAN_KIND.internal,
): Promise<T> {
  const active = await tracer;
  if (active === null) return work();
  let running: Promise<void> | undefined;
  let abandoned = false;
  let outcome: { readonly value: T } | { readonly error: unknown } | undefined;
  try {
    await active.startActiveSpan(name, { attributes, kind }, (span: TraceSpan) => {
      if (abandoned) {
        // Called after `startActiveSpan` returned: the work ran without this span.
        quietly(() => span.end());
        return Promise.resolve();
      }
      running = (async () => {
        try {
          const value = await work();
          outcome = { value };
          quietly(() => describe?.(span, value));
        } catch (error) {
          outcome = { error };
          quietly(() => span.setStatus({ code: ERROR, message: errorName(error) }));
        } finally {
          quietly(() => span.end());
        }
      })();
      return running;
    });
  } catch {
    // The host's tracer threw: the work's own outcome is what counts.
  }
  if (running === undefined) {
    abandoned = true; // the span never started: run without it, once
    return work();
  }
  await running;
  if (outcome === undefined) throw new Error("unreachable: a traced work ended without an outcome");
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

/** Calls the host's tracer, ignoring what it throws: tracing never breaks the work it describes. */
function quietly(call: () => void): void {
  try {
    call();
  } catch {
    // The host's tracer is at fault; the library's answer stands.
  }
}

/** Marks a span failed with a stable code (a storage failure, a defect). */
export function markFailed(span: TraceSpan, code: string): void {
  span.setStatus({ code: ERROR, message: code });
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}
