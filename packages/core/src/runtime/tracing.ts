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
 * error's name only (never its message, which may quote input).
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
  return active.startActiveSpan(name, { attributes, kind }, async (span: TraceSpan) => {
    try {
      const value = await work();
      describe?.(span, value);
      return value;
    } catch (error) {
      span.setStatus({ code: ERROR, message: errorName(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with a stable code (a storage failure, a defect). */
export function markFailed(span: TraceSpan, code: string): void {
  span.setStatus({ code: ERROR, message: code });
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}
