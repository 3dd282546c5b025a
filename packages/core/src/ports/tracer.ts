/**
 * A span's attribute values: never a secret. The library sets only names of
 * entry points, stable error codes, counts, kinds and ids of records.
 */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/**
 * The part of an OpenTelemetry span the library uses (structurally
 * `@opentelemetry/api`'s `Span`).
 */
export interface TraceSpan {
  /** Sets one attribute (never a secret). */
  setAttribute(key: string, value: string | number | boolean): unknown;
  /** `code`: 1 ok, 2 error (OpenTelemetry's `SpanStatusCode`); `message` a stable code. */
  setStatus(status: { code: number; message?: string }): unknown;
  /** Ends the span. */
  end(): void;
}

/**
 * The part of an OpenTelemetry tracer the library uses (structurally
 * `@opentelemetry/api`'s `Tracer`): `trace.getTracer("my-app")` fits as it
 * is. `startActiveSpan` makes the span the parent of the spans started
 * inside `fn` (with the SDK's context manager), and answers what `fn` answers.
 */
export interface Tracer {
  /**
   * Starts a span, runs `fn` with it as the active span, and answers `fn`'s result.
   * @typeParam F the callback, whose result is answered as it is
   */
  startActiveSpan<F extends (span: TraceSpan) => unknown>(
    name: string,
    options: { attributes?: SpanAttributes; kind?: number },
    fn: F,
  ): ReturnType<F>;
}
