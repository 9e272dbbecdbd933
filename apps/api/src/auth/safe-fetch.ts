import { lookup } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";

/**
 * What the server may fetch on behalf of a tenant's SSO settings (discovery, keys, tokens): https only, and
 * only addresses on the public internet, checked on the address actually connected to (a name that resolves
 * to a private address, or is re-pointed after a first check, is refused at connect time). Otherwise a tenant
 * admin could make the server call internal services. OIDC_ALLOW_INSECURE_ISSUERS lifts both rules for
 * development and tests.
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["::ffff:0:0", 96],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, bits, "ipv6");
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !blocked.check(address, family === 6 ? "ipv6" : "ipv4");
}

const publicOnly = new Agent({
  connect: {
    lookup(hostname, options, callback) {
      lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, "", 0);
        const list = Array.isArray(addresses) ? addresses : [];
        const bad = list.find((a) => !isPublicAddress(a.address));
        if (bad || list.length === 0) {
          return callback(
            new Error(`${hostname} resolves to a non-public address (${bad?.address ?? "none"})`),
            "",
            0,
          );
        }
        if (options.all) return callback(null, list as never, 0);
        const first = list[0];
        callback(null, first?.address ?? "", first?.family ?? 4);
      });
    },
  },
  headersTimeout: 10_000,
  bodyTimeout: 10_000,
});

export function safeFetch(allowInsecure: boolean) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const u = new URL(url);
    if (!allowInsecure) {
      if (u.protocol !== "https:")
        throw new Error(`refusing ${u.protocol} ${u.host}: identity providers must use https`);
      if (isIP(u.hostname.replace(/^\[|\]$/g, "")) && !isPublicAddress(u.hostname.replace(/^\[|\]$/g, ""))) {
        throw new Error(`refusing ${u.hostname}: not a public address`);
      }
    }
    const signal = init.signal ?? AbortSignal.timeout(10_000);
    const res = await undiciFetch(url, {
      ...(init as object),
      signal,
      redirect: "manual",
      ...(allowInsecure ? {} : { dispatcher: publicOnly }),
    } as Parameters<typeof undiciFetch>[1]);
    return res as unknown as Response;
  };
}
