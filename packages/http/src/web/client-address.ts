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
 * proxy. Entries are read without a port or IPv6 brackets some proxies add.
 * `undefined` (only the per-e-mail and per-instance counters apply) when the
 * socket's address is unknown or the answer, once a port, brackets or zone
 * are taken off, is not an IP address.
 */
export function clientAddressOf(
  headers: Headers,
  socketAddress: string | undefined,
  options: ResolvedHttpOptions,
): string | undefined {
  const socket = bare(socketAddress);
  if (socket === undefined) return undefined;
  const header = headers.get("x-forwarded-for");
  // Every entry without its port or brackets before the walk: a trusted proxy
  // that writes itself as `10.0.0.1:5555` is still recognised as one.
  const forwardedFor =
    header === null
      ? null
      : header
          .split(",")
          .map((entry) => bare(entry) ?? entry.trim())
          .join(", ");
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

/**
 * A bare IPv4 or IPv6 address, or `undefined`. Some proxies append the
 * client's port (`203.0.113.5:51234`, `[2001:db8::1]:51234`) or bracket an
 * IPv6 address: both are taken off. An IPv6 zone names this host's
 * interface and is dropped.
 */
function bare(address: string | undefined): string | undefined {
  let value = address?.trim();
  if (value === undefined) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed !== null) value = bracketed[1] as string;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(value))
    value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%[^%]*$/, "");
  return isIP(value) !== 0 ? value : undefined;
}
