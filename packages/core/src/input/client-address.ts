import ipaddr from "ipaddr.js";
import { z } from "zod";

/**
 * LCK-9: the client's address as the host saw it (behind a proxy: the
 * address the proxy reports, see docs/abuse.md). IPv4 in dotted decimal, or
 * IPv6; an IPv4-mapped IPv6 address counts as its IPv4 address. Anything
 * else is bad input (`INVALID_INPUT`), never a way around the throttle.
 *
 * Answers the throttle's name for it: the IPv4 address, or the IPv6 /64
 * (one customer's network: counting single IPv6 addresses would let one
 * host rotate through 2^64 of them).
 */
export const clientAddressSchema = z
  .string()
  .max(64, "an IPv4 or IPv6 address")
  .refine(
    (a) => ipaddr.IPv4.isValidFourPartDecimal(a) || ipaddr.IPv6.isValid(a),
    "an IPv4 or IPv6 address",
  )
  .transform((a): string => {
    const parsed = ipaddr.process(a);
    if (parsed.kind() === "ipv4") return `ipv4:${parsed.toString()}`;
    const groups = (parsed as ipaddr.IPv6).toNormalizedString().split(":").slice(0, 4);
    return `ipv6:${groups.join(":")}::/64`;
  });
