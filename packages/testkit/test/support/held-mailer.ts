import type { MailEnvelope, Mailer, MailIntent } from "@panel-access/core";

/**
 * A mailer that holds every send until `release()`, then hands it to `inner`
 * (a real SMTP mailer): a slow mail server the test controls, with no timer.
 */
export class HeldMailer implements Mailer {
  /** Sends begun so far (held or not). */
  started = 0;
  /** Sends that have not been handed on yet. */
  held = 0;
  #release: () => void = () => {};
  #gate = new Promise<void>((resolve) => {
    this.#release = resolve;
  });
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly inner: Mailer) {}

  async send(message: MailIntent, envelope: MailEnvelope): Promise<void> {
    this.started += 1;
    this.held += 1;
    for (const waiter of this.#waiters.filter((w) => this.started >= w.count)) waiter.resolve();
    await this.#gate;
    this.held -= 1;
    await this.inner.send(message, envelope);
  }

  /** Resolves once `count` sends have begun. */
  begun(count: number): Promise<void> {
    if (this.started >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Lets every held send, and every later one, go on to `inner`. */
  release(): void {
    this.#release();
  }
}
