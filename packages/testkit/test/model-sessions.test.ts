import { MemoryStore } from "@panel-access/adapter-memory";
import { describe, expect, it } from "vitest";
import { openingMoves } from "../src/index.js";
import { AdvanceClock } from "../src/model/commands/clock-command.js";
import type { ModelCommand } from "../src/model/commands/command-kit.js";
import { CheckSessions } from "../src/model/commands/session-commands.js";
import { MINUTE } from "../src/model/state.js";
import { newHistory } from "../src/model/world.js";

/**
 * The histories the random ones reach least: session checks on either side
 * of SES-3's interval, played against the model command by command after
 * the opening moves (p0 then holds a session). Each command compares every
 * answer, a valid session's answered end included; any divergence throws.
 */
async function play(moves: readonly ModelCommand[]) {
  const { model, real } = await newHistory(new MemoryStore());
  for (const move of [...openingMoves(), ...moves]) await move.run(model, real);
  return model.reached;
}

const check = () => new CheckSessions(0);
const advance = (ms: number) => new AdvanceClock(ms);

describe("the reference model on SES-3's boundaries", () => {
  it("SES-3: a check 59.999 s after the recorded use records nothing, and the session ends 30 minutes after the recorded use, 29 min 0.001 s after that check", async () => {
    const reached = await play([
      check(),
      advance(MINUTE - 1),
      check(),
      advance(29 * MINUTE + 1),
      check(),
    ]);
    expect(reached).toContain("session: use not recorded (SES-3)");
    expect(reached).not.toContain("session: use recorded");
    expect(reached).toContain("session: idle end before 30 minutes after its last check (SES-3)");
  });

  it("SES-3: a check at the interval records the use, so the session outlives 30 minutes from login, and ends 30 minutes after its last recorded use", async () => {
    const reached = await play([
      check(),
      advance(MINUTE),
      check(),
      advance(29 * MINUTE + 1),
      check(),
      advance(30 * MINUTE),
      check(),
    ]);
    expect(reached).toContain("session: use recorded");
    expect(reached).toContain("session: invalid");
    expect(reached).not.toContain(
      "session: idle end before 30 minutes after its last check (SES-3)",
    );
  });
});
