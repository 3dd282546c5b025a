import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { Tracer, TraceSpan } from "@panel-access/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../support/world.js";

/**
 * Operations: spans around each entry point, each store unit of work and
 * each send, through OpenTelemetry's API and a real SDK (in-memory
 * exporter), carrying no secret (AUD-1: no secret leaves the library).
 */
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  // As a host registers its SDK: the library's default tracer is the API's.
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});

const named = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("operations: OpenTelemetry spans", () => {
  it("AUD-1: with an SDK registered, each entry point is a span, with its store units of work and sends as children; a refusal carries its code only", async () => {
    exporter.reset();
    const w = await worldWithPanel();
    await w.invite("carol@example.com");
    expect(
      (await w.panelAccess.login({ email: "carol@example.com", password: "wrong" })).isErr(),
    ).toBe(true);

    const [adding] = named("panel-access addMember");
    expect(adding?.attributes).toEqual({ "panel_access.operation": "addMember" });
    const children = exporter
      .getFinishedSpans()
      .filter((s) => parentOf(s) === adding?.spanContext().spanId);
    expect(children.map((s) => s.name)).toEqual(
      expect.arrayContaining(["panel-access store.transact", "panel-access mail.send"]),
    );
    const send = children.find((s) => s.name === "panel-access mail.send");
    expect(send?.attributes).toEqual({
      "panel_access.mail.kind": "invitation",
      "panel_access.mail.attempt": 1,
    });

    // A rule's refusal rolls its unit of work back, and is still an answer: no span fails.
    const stranger = { type: "account", accountId: "acc_stranger" } as const;
    const refused = await w.panelAccess.removeMember({
      actor: stranger,
      panelId: w.panelId,
      email: "carol@example.com",
    });
    expect(refused._unsafeUnwrapErr().type).toBe("FORBIDDEN");
    const [removing] = named("panel-access removeMember");
    expect(removing?.attributes).toMatchObject({ "panel_access.error": "FORBIDDEN" });
    const removal = exporter
      .getFinishedSpans()
      .filter((s) => parentOf(s) === removing?.spanContext().spanId);
    expect(removal.map((s) => [s.name, s.status.code])).toEqual([
      ["panel-access store.transact", 0],
    ]);

    const [login] = named("panel-access login");
    expect(login?.attributes).toEqual({
      "panel_access.operation": "login",
      "panel_access.error": "LOGIN_FAILED",
    });
    expect(login?.status.code).toBe(0); // a refusal is an answer, not a failure of the library
  });

  it("AUD-1: no span attribute or status carries a secret issued or typed in a whole story (invitation, registration, 2FA set-up, login, reset)", async () => {
    exporter.reset();
    const w = await worldWithPanel();
    const { token } = await w.invite("dave@example.com");
    (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    const { app, backupCodes, session } = await w.enrolled("erin@example.com");
    const step = await w.secondFactorStep("erin@example.com");
    const code = app.code();
    const done = (
      await w.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code,
        rememberBrowser: true,
      })
    )._unsafeUnwrap();
    (await w.panelAccess.forgotPassword({ email: "erin@example.com" }))._unsafeUnwrap();
    await w.panelAccess.settled();

    const secrets = [
      token,
      PASSWORD,
      code,
      ...backupCodes,
      session.sessionToken,
      step.challenge,
      done.session.sessionToken,
      done.rememberedBrowser?.rememberedBrowserToken,
      ...w.mailer.sent.map((m) => ("link" in m ? String(m.link) : "")),
    ].filter((s): s is string => typeof s === "string" && s.length >= 6);
    expect(secrets.length).toBeGreaterThan(8);
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(20);
    const shown = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.status, s.events]));
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(shown).not.toContain("erin@example.com");
  });
});

describe("operations: a host's tracer that throws", () => {
  /** A tracer whose every part throws where `where` says; counts how often it ran the work. */
  function brokenTracer(where: "start" | "afterWork" | "span"): Tracer & { runs: number } {
    const span = {
      setAttribute: () => {
        throw new Error("broken span");
      },
      setStatus: () => {
        throw new Error("broken span");
      },
      end: () => {
        throw new Error("broken span");
      },
    };
    const tracer = {
      runs: 0,
      startActiveSpan<F extends (span: TraceSpan) => unknown>(_: string, __: unknown, fn: F) {
        if (where === "start") throw new Error("broken tracer");
        tracer.runs += 1;
        const result = fn(where === "span" ? span : { ...span, end: () => {} }) as ReturnType<F>;
        if (where === "afterWork") throw new Error("broken tracer");
        return result;
      },
    };
    return tracer;
  }

  it.each(["start", "afterWork", "span"] as const)(
    "INP-1: a tracer that throws (%s) changes no answer, throws nothing into the host, and runs each entry point once",
    async (where) => {
      const tracer = brokenTracer(where);
      const w = await worldWithPanel({ tracer });
      const { token } = await w.invite("frank@example.com");
      expect(token).not.toBeNull();
      const wrong = await w.panelAccess.login({ email: "frank@example.com", password: "wrong" });
      expect(wrong._unsafeUnwrapErr().type).toBe("LOGIN_FAILED");
      const invalid = await w.panelAccess.login({ email: "", password: "" });
      expect(invalid._unsafeUnwrapErr().type).toBe("INVALID_INPUT");
      // One invitation and one member, not two: no entry point ran twice.
      expect(w.mailer.sent.filter((m) => m.to === "frank@example.com")).toHaveLength(1);
      if (where !== "start") expect(tracer.runs).toBeGreaterThan(3);
    },
  );
});
