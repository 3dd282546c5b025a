import type { DomainEvent, DomainEventType } from "../../domain/events.js";
import type { EventSink } from "../../ports/events.js";

/** An event sink that keeps every event, in order. */
export class EventRecorder implements EventSink {
  readonly #events: DomainEvent[] = [];

  /** Records one event. */
  publish(event: DomainEvent): void {
    this.#events.push(event);
  }

  get events(): readonly DomainEvent[] {
    return this.#events;
  }

  /** The events of one type. */
  ofType<T extends DomainEventType>(type: T): Extract<DomainEvent, { type: T }>[] {
    return this.#events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  }

  /** Forgets every recorded event. */
  clear(): void {
    this.#events.length = 0;
  }
}
