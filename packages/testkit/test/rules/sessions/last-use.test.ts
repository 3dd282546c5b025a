import { MemoryStore } from "@panel-access/adapter-memory";
import {
  createPanelAccess,
  type PanelAccessOptions,
  type SessionTouch,
  type StoragePort,
  type StorageTx,
} from "@panel-access/core";
import { testTwoFactorOptions } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { openSession } from "../../support/sessions.js";
import { worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const READ = /^(find|list|count|read)/;

/**
 * A store over `memory` that counts, per check, the units of work and every
 * storage call by name, and records what each `touchSession` answered;
 * `hooks.beforeTouch`, when set, runs right before each `touchSession`
 * (after the check's read: where a concurrent logout can commit).
 */
function countingStore(memory: MemoryStore) {
  const calls: string[] = [];
  const touches: SessionTouch[] = [];
  const hooks: { beforeTouch?: () => Promise<void> } = {};
  let unitsOfWork = 0;
  const store: StoragePort = {
    readSession: (id) => {
      calls.push("readSession");
      return memory.readSession(id);
    },
    transact: (scope, work) => {
      unitsOfWork++;
      return memory.transact(scope, (tx) =>
        work(
          new Proxy(tx, {
            get: (target, property: keyof StorageTx) => {
              const value = target[property];
              if (typeof value !== "function") return value;
              return async (...args: unknown[]) => {
                calls.push(String(property));
                if (property === "touchSession") await hooks.beforeTouch?.();
                const answer = await (value as (...a: unknown[]) => Promise<unknown>).apply(
                  target,
                  args,
                );
                if (property === "touchSession") touches.push(answer as SessionTouch);
                return answer;
              };
            },
          }),
        ),
      );
    },
  };
  return {
    store,
    calls,
    touches,
    hooks,
    /** The calls since the last `take()`, as reads and writes, and the units of work. */
    take() {
      const taken = calls.splice(0);
      const units = unitsOfWork;
      unitsOfWork = 0;
      return {
        unitsOfWork: units,
        reads: taken.filter((name) => READ.test(name)),
        writes: taken.filter((name) => !READ.test(name)),
      };
    },
  };
}

/** Runs `action` once, right before the next `touchSession` of `counting` (after the check's read). */
function onceBeforeTouch(
  counting: ReturnType<typeof countingStore>,
  action: () => Promise<unknown>,
): void {
  counting.hooks.beforeTouch = async () => {
    counting.hooks.beforeTouch = undefined;
    await action();
  };
}

/**
 * A world with a member who has one session open at the world's start (its
 * last use recorded then), and a second library instance, `checks`, on the
 * same store and clock through a counting store.
 */
async function sessionWorld(sessions: PanelAccessOptions["sessions"] = {}, open = 1) {
  const memory = new MemoryStore();
  const w = await worldWithPanel({ store: memory, sessions });
  await w.member(PERSON);
  const tokens = [];
  for (let i = 0; i < open; i++) tokens.push((await openSession(w, PERSON)).sessionToken);
  const openedAt = w.clock.now();
  const counting = countingStore(memory);
  const checks = createPanelAccess(
    { store: counting.store, clock: w.clock, mailer: w.mailer, events: w.events },
    {
      appUrl: "https://app.example.test",
      twoFactor: testTwoFactorOptions(),
      sessions,
    },
  );
  const lastUse = async (token: string) => {
    const id = token.split(".")[0] ?? "";
    const stored = await memory.transact({}, (tx) => tx.findSession(id));
    return stored?.lastUsedAt.toMillis();
  };
  return { w, checks, counting, tokens, openedAt, lastUse };
}

describe("SES-3: cheap session checks", () => {
  it("SES-3: within the interval, N checks after the one that recorded the use write nothing: each is one read of the store, outside any unit of work", async () => {
    const { w, checks, counting, tokens, openedAt, lastUse } = await sessionWorld();
    const sessionToken = tokens[0] ?? "";
    w.clock.set(openedAt.plus({ minutes: 1 }));
    expect((await checks.validateSession({ sessionToken })).isOk()).toBe(true);
    expect(counting.take().writes).toEqual(["touchSession"]);
    const recordedAt = w.clock.now().toMillis();
    // 12 checks in the next minute, the last 1 ms before it is over.
    for (let i = 1; i <= 12; i++) {
      w.clock.set(openedAt.plus({ minutes: 1, seconds: 5 * i, milliseconds: i === 12 ? -1 : 0 }));
      const valid = await checks.validateSession({ sessionToken });
      expect(valid.isOk()).toBe(true);
      const { unitsOfWork, reads, writes } = counting.take();
      expect(writes).toEqual([]);
      expect(unitsOfWork).toBe(0);
      expect(reads).toEqual(["readSession"]);
    }
    expect(await lastUse(sessionToken)).toBe(recordedAt);
  });

  it("SES-3: a check once the interval has passed records the use, once; the next interval starts there", async () => {
    const { w, checks, counting, tokens, openedAt, lastUse } = await sessionWorld();
    const sessionToken = tokens[0] ?? "";
    const check = async () => {
      const answer = (await checks.validateSession({ sessionToken }))._unsafeUnwrap();
      return { answer, writes: counting.take().writes };
    };
    // The boundary: 1 ms before the interval nothing is written; at it, the use is.
    w.clock.set(openedAt.plus({ minutes: 1, milliseconds: -1 }));
    expect((await check()).writes).toEqual([]);
    expect(await lastUse(sessionToken)).toBe(openedAt.toMillis());
    w.clock.set(openedAt.plus({ minutes: 1 }));
    const recording = await check();
    expect(recording.writes).toEqual(["touchSession"]);
    expect(counting.touches).toEqual(["touched"]);
    expect(await lastUse(sessionToken)).toBe(w.clock.now().toMillis());
    expect(recording.answer.expiresAt.toMillis()).toBe(
      w.clock.now().plus({ minutes: 30 }).toMillis(),
    );
    // The next interval counts from that write: 1 ms before its end nothing, at it again.
    w.clock.set(openedAt.plus({ minutes: 2, milliseconds: -1 }));
    expect(await check()).toMatchObject({ writes: [] });
    w.clock.set(openedAt.plus({ minutes: 2 }));
    expect(await check()).toMatchObject({ writes: ["touchSession"] });
    expect(await lastUse(sessionToken)).toBe(openedAt.plus({ minutes: 2 }).toMillis());
    expect(counting.touches).toEqual(["touched", "touched"]);
  });

  it("SES-3: idle expiry is accurate to the interval: a use the check did not record does not extend the session", async () => {
    const { w, checks, counting, tokens, openedAt, lastUse } = await sessionWorld({}, 2);
    const [recorded = "", unrecorded = ""] = tokens;
    // Both used just within the interval: nothing recorded, the idle end stays
    // 30 minutes after the recorded last use, and each answer says so.
    w.clock.set(openedAt.plus({ seconds: 59, milliseconds: 999 }));
    for (const sessionToken of [recorded, unrecorded]) {
      const valid = (await checks.validateSession({ sessionToken }))._unsafeUnwrap();
      expect(valid.expiresAt.toMillis()).toBe(openedAt.plus({ minutes: 30 }).toMillis());
      expect(await lastUse(sessionToken)).toBe(openedAt.toMillis());
    }
    expect(counting.take().writes).toEqual([]);
    // 1 ms before the recorded idle end the session works, and that check records.
    w.clock.set(openedAt.plus({ minutes: 30, milliseconds: -1 }));
    expect((await checks.validateSession({ sessionToken: recorded })).isOk()).toBe(true);
    expect(counting.take().writes).toEqual(["touchSession"]);
    // At the recorded idle end the other one has ended, though its last real use
    // was only 29 minutes and 0.001 s ago: up to one interval early, never late.
    w.clock.set(openedAt.plus({ minutes: 30 }));
    expect(await checks.validateSession({ sessionToken: unrecorded })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
    expect(counting.take().writes).toEqual([]);
    expect((await checks.validateSession({ sessionToken: recorded })).isOk()).toBe(true);
    // The recorded one ends 30 minutes after the check that recorded it.
    w.clock.set(openedAt.plus({ minutes: 60, milliseconds: -1 }));
    expect(await checks.validateSession({ sessionToken: recorded })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
  });

  it("SES-3: 20 checks at once, once the interval has passed, all answer the session and only one records the use", async () => {
    const { w, checks, counting, tokens, openedAt, lastUse } = await sessionWorld();
    const sessionToken = tokens[0] ?? "";
    w.clock.set(openedAt.plus({ minutes: 2 }));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => checks.validateSession({ sessionToken })),
    );
    expect(answers.every((answer) => answer.isOk())).toBe(true);
    expect(counting.touches.filter((touch) => touch === "touched")).toHaveLength(1);
    expect(counting.touches.filter((touch) => touch === "alreadyRecent")).toHaveLength(19);
    expect(await lastUse(sessionToken)).toBe(w.clock.now().toMillis());
  });

  it("SES-3: the interval is configurable: with 5 minutes, nothing is written before 5 minutes, the use is at 5", async () => {
    const { w, checks, counting, tokens, openedAt } = await sessionWorld({
      lastUseInterval: { minutes: 5 },
    });
    const sessionToken = tokens[0] ?? "";
    for (const minutes of [1, 2, 4]) {
      w.clock.set(openedAt.plus({ minutes }));
      expect((await checks.validateSession({ sessionToken })).isOk()).toBe(true);
    }
    w.clock.set(openedAt.plus({ minutes: 5, milliseconds: -1 }));
    expect((await checks.validateSession({ sessionToken })).isOk()).toBe(true);
    expect(counting.take().writes).toEqual([]);
    w.clock.set(openedAt.plus({ minutes: 5 }));
    expect((await checks.validateSession({ sessionToken })).isOk()).toBe(true);
    expect(counting.take().writes).toEqual(["touchSession"]);
  });

  it("SES-3, SES-2: a logout that commits between a due check's read and its touch: the touch finds the session gone and the check answers SESSION_INVALID, as for any ended session", async () => {
    const { w, checks, counting, tokens, openedAt, lastUse } = await sessionWorld();
    const sessionToken = tokens[0] ?? "";
    w.clock.set(openedAt.plus({ minutes: 1 }));
    onceBeforeTouch(counting, async () =>
      (await w.panelAccess.logout({ sessionToken }))._unsafeUnwrap(),
    );
    expect(await checks.validateSession({ sessionToken })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
    expect(counting.touches).toEqual(["gone"]);
    expect(await lastUse(sessionToken)).toBeUndefined();
    expect(await checks.validateSession({ sessionToken })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
  });

  it("SES-3, SES-2: a due check whose touch lost only the guard to a concurrent check (the session is there, its use recorded) still answers the session valid", async () => {
    const { w, checks, counting, tokens, openedAt, lastUse } = await sessionWorld();
    const sessionToken = tokens[0] ?? "";
    w.clock.set(openedAt.plus({ minutes: 1 }));
    onceBeforeTouch(counting, async () => {
      (await w.panelAccess.validateSession({ sessionToken }))._unsafeUnwrap();
    });
    const valid = (await checks.validateSession({ sessionToken }))._unsafeUnwrap();
    expect(counting.touches).toEqual(["alreadyRecent"]);
    expect(await lastUse(sessionToken)).toBe(w.clock.now().toMillis());
    // What its read saw: the idle end counts from the last use it read.
    expect(valid.expiresAt.toMillis()).toBe(openedAt.plus({ minutes: 30 }).toMillis());
  });

  it("SES-3: a refused check writes nothing either", async () => {
    const { w, checks, counting, tokens, openedAt } = await sessionWorld();
    const sessionToken = tokens[0] ?? "";
    w.clock.set(openedAt.plus({ minutes: 30 }));
    expect(await checks.validateSession({ sessionToken })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
    expect(counting.take().writes).toEqual([]);
  });
});
