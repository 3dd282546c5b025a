import { InProcessThrottleStore } from "@panel-access/core";

/**
 * LCK-9: throttle counters in this process's memory, for one instance and
 * for tests. Counters decay on the time the core reads from its clock port,
 * so a `ManualClock` moves them. The same store the core uses when the host
 * passes none; named here beside `MemoryStore` for tests that share one
 * between library instances.
 */
export class MemoryThrottleStore extends InProcessThrottleStore {}
