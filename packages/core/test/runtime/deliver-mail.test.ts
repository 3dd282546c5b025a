import { describe, expect, it } from "vitest";
import { errorCode } from "../../src/runtime/deliver-mail.js";

describe("MAIL-2: the outbox", () => {
  it("MAIL-2, AUD: a failure is recorded as an error code, never the error's message (which may quote the message)", () => {
    const leaky = Object.assign(new Error("550 rejected: https://app/register?token=SECRET"), {
      code: "EENVELOPE",
      responseCode: 550,
    });
    expect(errorCode(leaky)).toBe("EENVELOPE 550");
    expect(errorCode(new TypeError("token=SECRET"))).toBe("TypeError");
    expect(errorCode("token=SECRET")).toBe("SEND_FAILED");
    expect(errorCode({ code: "<script>token=SECRET".repeat(10) })).not.toContain("<");
    expect(errorCode({ code: "x".repeat(200) }).length).toBeLessThanOrEqual(64);
  });
});
