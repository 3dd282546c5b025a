import { describeDuration, ModelCommand } from "./command-kit.js";
import type { Model } from "./state.js";
import { observe, type Real } from "./world.js";

/** Time passes (only through the clock port). */
export class AdvanceClock extends ModelCommand {
  constructor(readonly ms: number) {
    super();
  }
  async run(m: Model, r: Real) {
    m.now += this.ms;
    r.clock.advance({ milliseconds: this.ms });
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `advanceClock(+${describeDuration(this.ms)})`;
  }
}
