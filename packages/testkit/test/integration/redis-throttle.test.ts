import { RedisThrottleStore } from "@panel-access/adapter-redis";
import { redisForTests } from "@panel-access/test-support/redis";
import { createInMemoryPanelAccess } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";

/**
 * LCK-9 through the library with its counters on Redis: two instances (two
 * library objects over one store, two Redis clients) share the counters, so
 * an attacker spreading over instances meets one limit.
 */
const { available, prefix, clients } = await redisForTests(2);

describe.runIf(available)("the library with its throttle counters on Redis", () => {
  it("LCK-9: failures from one address spread over two instances meet one shared limit, known and unknown e-mails alike", async () => {
    const [a, b] = clients.map((client) => new RedisThrottleStore(client, { prefix }));
    const first = createInMemoryPanelAccess({
      throttleStore: a,
      throttle: { perAddress: { limit: 6 } },
    });
    const second = createInMemoryPanelAccess({
      store: first.store,
      twoFactor: first.panelAccess.options.twoFactor,
      throttleStore: b,
      throttle: { perAddress: { limit: 6 } },
    });
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const instance = i % 2 === 0 ? first : second;
      const answer = await instance.panelAccess.login({
        email: `someone-${i}@example.com`,
        password: "Summer2026!summer",
        clientAddress: "203.0.113.50",
      });
      answers.push(answer.isErr() ? answer.error.type : "ok");
    }
    expect(answers).toEqual([
      ...Array(6).fill("LOGIN_FAILED"),
      ...Array(4).fill("TOO_MANY_ATTEMPTS"),
    ]);
  });
});
