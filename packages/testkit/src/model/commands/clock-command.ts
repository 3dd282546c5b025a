import type { Model } from "../state.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { describeDuration, ModelCommand } from "./command-kit.js";

/** Time passes (only through the clock port). */
export class AdvanceClock extends ModelCommand {
  constructor(readonly ms: number) {
    super();
  }
  async run(model: Model, real: Real) {
    model.now += this.ms;
    real.clock.advance({ milliseconds: this.ms });
    await observe(model, real, [], this.toString());
  }
  toString() {
    return `advanceClock(+${describeDuration(this.ms)})`;
  }
}
