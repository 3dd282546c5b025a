import { isIP } from "node:net";
import proxyAddr from "proxy-addr";
import type { ResolvedHttpOptions } from "../options.js";

/**
 * LCK-9: the client's address for the library's per-address throttle.
 *
 * The socket's address unless it is one of `trustedProxies`; then
 * `X-Forwarded-For` is read right to left (by `proxy-addr`, Express's own
 * rule) to the first address that is not a trusted proxy. Anyone can send
 * that header, so it is never read for a socket that is not a trusted
 * proxy. `undefined` (only the per-e-mail and per-instance counters apply)
 * when the socket's address is unknown or the answer is not a bare IP address.
 */
export function clientAddressOf(
  headers: Headers,
  socketAddress: string | undefined,
  options: ResolvedHttpOptions,
): string | undefined {
  const socket = bare(socketAddress);
  if (socket === undefined) return undefined;
  const forwardedFor = headers.get("x-forwarded-for");
  const address = proxyAddr(
    {
      headers: forwardedFor === null ? {} : { "x-forwarded-for": forwardedFor },
      connection: { remoteAddress: socket },
      socket: { remoteAddress: socket },
    } as unknown as Parameters<typeof proxyAddr>[0],
    options.trustProxy,
  );
  return bare(address);
}

/** A bare IPv4 or IPv6 address (an IPv6 zone names this host's interface and is dropped), or `undefined`. */
function bare(address: string | undefined): string | undefined {
  const value = address?.trim().replace(/%[^%]*$/, "");
  return value !== undefined && isIP(value) !== 0 ? value : undefined;
}
