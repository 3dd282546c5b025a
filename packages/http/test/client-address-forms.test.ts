import { describe, expect, it } from "vitest";
import { site } from "./harness.js";

const req = (xff?: string) =>
  new Request("https://app.example.test/api/auth/login", {
    headers: xff === undefined ? {} : { "x-forwarded-for": xff },
  });

describe("review: client address", () => {
  it("LCK-9: an IPv4-mapped socket address of a trusted IPv4 proxy is trusted (dual-stack Node)", async () => {
    const s = await site({ trustedProxies: ["10.0.0.0/8"] });
    expect(s.http.clientAddress(req("198.51.100.1"), { socketAddress: "::ffff:10.1.2.3" })).toBe(
      "198.51.100.1",
    );
  });

  it("LCK-9: a client's own X-Forwarded-For never wins over the address the trusted proxy appended", async () => {
    const s = await site({ trustedProxies: ["10.0.0.0/8", "loopback"] });
    for (const spoof of ["127.0.0.1", "10.9.9.9", "::1", "1.1.1.1, 10.0.0.1", "garbage"]) {
      expect(
        s.http.clientAddress(req(`${spoof}, 203.0.113.50`), { socketAddress: "10.0.0.2" }),
      ).toBe("203.0.113.50");
    }
    // Untrusted socket: the header is ignored.
    expect(s.http.clientAddress(req("1.2.3.4"), { socketAddress: "203.0.113.9" })).toBe(
      "203.0.113.9",
    );
  });

  it("LCK-9: a trusted proxy that appends ip:port (Azure App Gateway, some LBs) still yields the client's address", async () => {
    const s = await site({ trustedProxies: ["10.0.0.0/8"] });
    // The port the proxy appended is taken off.
    expect(s.http.clientAddress(req("203.0.113.50:51234"), { socketAddress: "10.0.0.2" })).toBe(
      "203.0.113.50",
    );
  });

  it("LCK-9: a trusted inner proxy that writes itself with a port is still passed over, not taken as the client", async () => {
    const s = await site({ trustedProxies: ["10.0.0.0/8"] });
    const chain = req("203.0.113.7, 10.0.0.1:5555");
    expect(s.http.clientAddress(chain, { socketAddress: "10.0.0.2" })).toBe("203.0.113.7");
    const bracketed = req("[2001:db8::7]:443, 10.0.0.1:5555");
    expect(s.http.clientAddress(bracketed, { socketAddress: "10.0.0.2" })).toBe("2001:db8::7");
  });
});
