import { isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * LCK-9: the client's address, for the library's per-address throttle (see
 * docs/abuse.md, "Pass the client's address").
 *
 * - By default (`trustedProxies` 0) it is the socket's remote address, and
 *   `X-Forwarded-For` is **ignored**: anyone can send that header, and a
 *   client that picked its own address could step around the throttle.
 * - Behind N trusted proxies (`TRUSTED_PROXIES=N`), the socket's address is
 *   the nearest proxy's, so the address is the N-th entry of
 *   `X-Forwarded-For` counted from the right: the one the outermost trusted
 *   proxy appended. The entries left of it are whatever the client sent.
 *   With one proxy, that is the right-most entry.
 *
 * Answers `undefined` (no address: only the per-e-mail and per-instance
 * counters apply) when that entry is missing or is not a bare IPv4 or IPv6
 * address: a malformed address would make the library answer
 * `INVALID_INPUT` to everyone behind it.
 */
export function clientAddressOf(c: Context, trustedProxies: number): string | undefined {
  return pickClientAddress({
    socket: socketAddress(c),
    forwardedFor: c.req.header("x-forwarded-for"),
    trustedProxies,
  });
}

/** The choice itself, without a request (tested on its own). */
export function pickClientAddress(from: {
  readonly socket: string | undefined;
  /** Every `X-Forwarded-For` header of the request, joined with commas (as `Headers` does). */
  readonly forwardedFor: string | undefined;
  /** How many proxies of our own stand in front of the app. 0: the header is not read. */
  readonly trustedProxies: number;
}): string | undefined {
  if (from.trustedProxies <= 0) return wellFormed(from.socket);
  const entries = (from.forwardedFor ?? "").split(",").map((entry) => entry.trim());
  if (from.forwardedFor === undefined || entries.length < from.trustedProxies) return undefined;
  return wellFormed(entries[entries.length - from.trustedProxies]);
}

/** The socket's remote address; none when the request did not come through `@hono/node-server` (e.g. `app.request()`). */
function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * A bare IPv4 (dotted decimal) or IPv6 address, or `undefined`. An IPv6 zone
 * (`%eth0`) names an interface of this host, not the client: it is dropped.
 */
function wellFormed(address: string | undefined): string | undefined {
  const bare = address?.replace(/%[^%]*$/, "");
  return bare !== undefined && isIP(bare) !== 0 ? bare : undefined;
}
