/**
 * LCK-7 v2: one queue per account (by e-mail) in front of the store's lock.
 * At most one request per account per instance waits on the store (a
 * database connection, on PostgreSQL); the others wait here, in process,
 * where waiting costs no shared resource. Past `bound` waiting, a request is
 * refused at once (the caller answers `TOO_MANY_ATTEMPTS`), so hundreds of
 * requests for one e-mail neither pile up nor slow other people's logins.
 */
export class AccountQueues {
  readonly #queues = new Map<string, { tail: Promise<void>; size: number }>();
  readonly #bound: number;

  /** @param bound How many requests for one account may wait behind the running one. */
  constructor(bound: number) {
    this.#bound = bound;
  }

  /** Whether a request for `key` would be refused now. */
  isFull(key: string): boolean {
    return (this.#queues.get(key)?.size ?? 0) > this.#bound;
  }

  /**
   * Runs `work` once every earlier request for `key` has finished. The caller
   * checks `isFull` first; the queue grows past its bound only by requests
   * the caller let through anyway.
   */
  run<T>(key: string, work: () => PromiseLike<T>): Promise<T> {
    const queue = this.#queues.get(key) ?? { tail: Promise.resolve(), size: 0 };
    this.#queues.set(key, queue);
    queue.size += 1;
    const result = queue.tail.then(() => work());
    queue.tail = result.then(
      () => this.#done(key, queue),
      () => this.#done(key, queue),
    );
    return result;
  }

  #done(key: string, queue: { size: number }): void {
    queue.size -= 1;
    if (queue.size === 0 && this.#queues.get(key) === queue) this.#queues.delete(key);
  }
}
