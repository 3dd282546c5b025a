import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { callOf, USE_CASES, type UseCase } from "../../support/entry-points.js";
import { ILL_FORMED_RUNS, illFormedUnit, isIllFormed, spoil } from "../../support/ill-formed.js";
import { worldWithValidInputs } from "../../support/valid-inputs.js";
import { stateOf, worldWithPanel } from "../../support/world.js";

/** Entry points that take no input: nothing to validate. */
/**
 * Entry points with no request input: the host's own operations (a mail
 * round, waiting, a dispatcher loop and shutdown take the host's settings,
 * never a person's input).
 */
const TAKE_NO_INPUT = new Set(["dispatchMail", "settled", "startMailDispatcher", "shutdown"]);

/** The entry points of a `createPanelAccess(...)` that take an input, sorted. */
function entryPointsOf(panelAccess: object): string[] {
  return Object.entries(panelAccess)
    .filter(([name, value]) => typeof value === "function" && !TAKE_NO_INPUT.has(name))
    .map(([name]) => name)
    .sort();
}

/** Where a text field sits in an input: its keys from the top. */
type Path = readonly string[];

/** Every text field of a value, nested ones included (`actor.operatorId`, `access.endsAt`). */
function textPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value === "string") return [path];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => textPaths(inner, [...path, key]));
}

function textAt(value: unknown, path: Path): string {
  const found = path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], value);
  if (typeof found !== "string") throw new Error(`no text at ${path.join(".")}`);
  return found;
}

/** A copy of `value` whose field at `path` holds `text`. */
function withText(value: unknown, path: Path, text: string): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return text;
  const record = value as Record<string, unknown>;
  return { ...record, [key]: withText(record[key], rest, text) };
}

describe("INP-1 v2: NUL or a lone surrogate in any text field of any entry point is INVALID_INPUT and changes nothing", () => {
  let illFormedRun = 0;
  let fieldsCovered = 0;
  afterAll(() => {
    console.log(
      `INP-1 v2: ${illFormedRun} ill-formed inputs over ${fieldsCovered} text fields of ${USE_CASES.length} entry points`,
    );
  });

  /**
   * Spoils one of `paths` (text fields of the entry point's valid input) at a
   * time: an ill-formed unit inserted anywhere in the valid value, or in other
   * text. Each must be INVALID_INPUT naming that field, and change nothing.
   */
  async function spoilEachField(useCase: UseCase) {
    const { w, inputs } = await worldWithValidInputs();
    const valid = inputs[useCase];
    const call = callOf(w, useCase);
    const paths = textPaths(valid);
    expect(paths.length).toBeGreaterThan(0);
    fieldsCovered += paths.length;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          path: fc.constantFrom(...paths),
          at: fc.nat(),
          unit: illFormedUnit,
          /** Mostly the field's valid value, spoiled; sometimes other text, spoiled. */
          instead: fc.option(fc.string({ maxLength: 30 }), { freq: 4 }),
        }),
        async ({ path, at, unit, instead }) => {
          illFormedRun++;
          const text = spoil(instead ?? textAt(valid, path), at, unit);
          expect(isIllFormed(text)).toBe(true);
          const before = stateOf(w);
          const result = await call(withText(valid, path, text));
          await w.panelAccess.settled();
          const where = `${useCase}: ${path.join(".")} = ${JSON.stringify(text)}`;
          expect(result.isErr() ? result.error.type : "ok", where).toBe("INVALID_INPUT");
          const issues = result.isErr() ? (result.error.issues as { path: unknown[] }[]) : [];
          expect(
            issues.some((issue) => issue.path[0] === path[0]),
            where,
          ).toBe(true);
          expect(stateOf(w), where).toEqual(before);
        },
      ),
      { numRuns: ILL_FORMED_RUNS },
    );
    // The same input, unspoiled, passes validation: the refusals were the spoiled text's.
    const unspoiled = await call(valid);
    expect(unspoiled.isErr() ? unspoiled.error.type : "ok").not.toBe("INVALID_INPUT");
  }

  it("INP-1: the fuzz and this property cover every entry point that takes an input", async () => {
    const w = await worldWithPanel();
    expect([...USE_CASES].sort()).toEqual(entryPointsOf(w.panelAccess));
  });

  for (const useCase of USE_CASES) {
    it(`INP-1 v2: ${useCase}: each text field, spoiled with NUL or a lone surrogate, is INVALID_INPUT`, () =>
      spoilEachField(useCase));
  }
});
