import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

/**
 * Server-side request forgery guard for tenant-given channel URLs: a webhook or Slack URL must not make the
 * worker call into the operator's own network (cloud metadata at 169.254.169.254, a database on 10.x, the
 * API on 127.0.0.1). Refused unless NOTIFY_ALLOW_PRIVATE_NETWORKS: loopback, private, link-local, CGNAT,
 * unique-local, multicast, reserved and unspecified addresses, by literal or by what the name resolves to.
 * The check runs when a rule is written and again on every connection (the resolved address is checked in
 * the socket's own lookup), so a name that later resolves inward (DNS rebinding) is refused too.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** The IPv4 address an IPv6 one embeds (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96), if any. */
function embeddedV4(ip: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m?.[1]) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hex?.[1] && hex[2]) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/** Whether an IP address is internal (loopback, private, link-local, …). */
export function isInternalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const v4 = embeddedV4(ip.toLowerCase());
    if (v4) return blocked.check(v4, "ipv4");
    return blocked.check(ip, "ipv6");
  }
  return true;
}

export class DestinationError extends Error {
  override name = "DestinationError";
}

export interface DestinationPolicy {
  allowPrivate: boolean;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });
}

/**
 * Check a channel URL: https (http only where private networks are allowed), a host, and every address it
 * resolves to outside the internal ranges. Throws DestinationError with a reason a tenant can act on.
 */
export async function checkDestination(raw: string, policy: DestinationPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationError("not a URL");
  }
  if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) {
    throw new DestinationError("must be an https:// URL");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new DestinationError("has no host");
  if (policy.allowPrivate) return url;
  if (/^localhost$|\.localhost$|\.local$|\.internal$/i.test(host)) {
    throw new DestinationError(
      `host ${host} is internal (loopback, private and link-local destinations are refused)`,
    );
  }
  const addresses = isIP(host) ? [{ address: host }] : await resolveAll(host).catch(() => null);
  if (!addresses || addresses.length === 0) throw new DestinationError(`host ${host} does not resolve`);
  const inward = addresses.find((a) => isInternalAddress(a.address));
  if (inward) {
    throw new DestinationError(
      `host ${host} resolves to ${inward.address}, an internal address (loopback, private and link-local destinations are refused)`,
    );
  }
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses internal addresses at connect time (after DNS), so the address
 * connected to is the address checked.
 */
export function guardedLookup(policy: DestinationPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const allowed = policy.allowPrivate
        ? addresses
        : addresses.filter((a) => !isInternalAddress(a.address));
      if (allowed.length === 0) {
        const e = new DestinationError(
          `host ${hostname} resolves only to internal addresses (${addresses.map((a) => a.address).join(", ")})`,
        ) as NodeJS.ErrnoException;
        e.code = "EBLOCKED";
        return callback(e, "", 0);
      }
      if (options.all) return callback(null, allowed);
      const first = allowed[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
