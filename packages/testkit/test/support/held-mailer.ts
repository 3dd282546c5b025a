import type { MailEnvelope, Mailer, MailIntent } from "@panel-access/core";

/**
 * A mailer that holds every send until `release()`, then hands it to `inner`
 * (a real SMTP mailer): a slow mail server the test controls, with no timer,
 * whose queue gives up a message when the outbox aborts its attempt.
 */
export class HeldMailer implements Mailer {
  /** Sends begun so far (held or not). */
  started = 0;
  /** Sends given up while held (their signal aborted): never handed on. */
  givenUp = 0;
  #release: () => void = () => {};
  #gate = new Promise<void>((resolve) => {
    this.#release = resolve;
  });
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly inner: Mailer) {}

  async send(message: MailIntent, envelope: MailEnvelope): Promise<void> {
    this.started += 1;
    for (const waiter of this.#waiters.filter((w) => this.started >= w.count)) waiter.resolve();
    // Like the SMTP adapter, a held message (not begun) is given up when the
    // outbox aborts the attempt (MAIL-4: mail.sendTimeout), and never sent.
    const givenUp = new Promise<"givenUp">((resolve) => {
      if (envelope.signal?.aborted) resolve("givenUp");
      envelope.signal?.addEventListener("abort", () => resolve("givenUp"), { once: true });
    });
    const released = await Promise.race([this.#gate.then(() => "released" as const), givenUp]);
    if (released === "givenUp") {
      this.givenUp += 1;
      throw Object.assign(new Error("given up before it began"), { code: "SEND_TIMEOUT" });
    }
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
