import type { DomainEvent } from "../domain/events.js";

/**
 * Receives the domain events of committed state changes (AUD-1), in order,
 * after the change is committed. A rejection is ignored: the change stands.
 */
export interface EventSink {
  /** Receives one committed event (AUD-1). A rejection is ignored: the change stands. */
  publish(event: DomainEvent): void | Promise<void>;
}
