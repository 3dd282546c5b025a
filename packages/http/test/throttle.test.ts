import { describe, expect, it } from "vitest";
import { ADMIN, type ApiAnswer, signedInSite, site } from "./harness.js";

const halfLife = { minutes: 10 };

/** A 429 as the API answers it: TOO_MANY_ATTEMPTS, the wait in the body and in Retry-After. */
function expectThrottled(answer: ApiAnswer | undefined) {
  expect(answer?.status).toBe(429);
  expect(answer?.body.error.code).toBe("TOO_MANY_ATTEMPTS");
  const seconds = answer?.body.error.retryAfterSeconds;
  expect(Number.isInteger(seconds) && seconds > 0).toBe(true);
  expect(answer?.headers.get("retry-after")).toBe(String(seconds));
}

describe("throttling over HTTP", () => {
  it("LCK-9, LCK-6: wrong second-factor codes are throttled per e-mail and address: 429 with Retry-After", async () => {
    const { s } = await signedInSite(
      {},
      { throttle: { perEmailAndAddress: { limit: 3, halfLife } } },
    );
    const browser = s.browser();
    let last: ApiAnswer | undefined;
    for (let i = 0; i < 6 && last?.status !== 429; i++) {
      await browser.send("POST", "/login", ADMIN);
      last = await browser.send("POST", "/login/second-factor", { code: "000000" });
    }
    expectThrottled(last);
  });

  it("LCK-9: failed registrations from one address are throttled: 429 with Retry-After", async () => {
    const s = await site(
      {},
      { throttle: { registrationFailuresPerAddress: { limit: 2, halfLife } } },
    );
    const browser = s.browser();
    const answers: ApiAnswer[] = [];
    for (let i = 0; i < 4; i++) {
      answers.push(
        await browser.send("POST", "/register", {
          token: `${String(i).repeat(22)}.${"A".repeat(43)}`,
          password: "lantern meadow copper 5512",
        }),
      );
    }
    expect(answers[0]?.body.error.code).toBe("INVITATION_UNKNOWN");
    expectThrottled(answers[3]);
  });

  it("LCK-9, PWD-2: forgot-password requests from one address are throttled: 429 with Retry-After, for a known and an unknown e-mail alike", async () => {
    const s = await site({}, { throttle: { resetRequestsPerAddress: { limit: 2, halfLife } } });
    const browser = s.browser();
    const answers: ApiAnswer[] = [];
    for (const email of ["a@example.test", "b@example.test", "c@example.test", ADMIN.email]) {
      answers.push(await browser.send("POST", "/password/forgot", { email }));
    }
    expect(answers[0]?.status).toBe(202);
    expectThrottled(answers[2]);
    expectThrottled(answers[3]);
    expect(answers[3]?.body).toEqual(answers[2]?.body);
  });

  it("LCK-7: logins for one e-mail past the per-account queue are refused at once with 429 and Retry-After", async () => {
    const s = await site({}, { maxQueuedPerAccount: 0 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.browser().send("POST", "/login", { ...ADMIN, password: `wrong password ${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses).toContain(401);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expectThrottled(answer);
  });
});
