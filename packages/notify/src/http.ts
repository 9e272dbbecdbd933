import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { DestinationError, type DestinationPolicy, guardedLookup, isInternalAddress } from "./ssrf.js";

export interface PostResult {
  status: number;
  /** the first 2 KiB of the response body, for the delivery's last error */
  body: string;
  headers: Record<string, string | undefined>;
}

const MAX_BODY = 2048;

/**
 * POST a JSON body to a tenant's URL: the destination guard on the connected address, no redirects (a 3xx
 * is the receiver's answer, not an invitation to call elsewhere), one deadline for the whole exchange.
 */
export function postJson(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  opts: DestinationPolicy & { timeoutMs: number },
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      reject(new DestinationError("not a URL"));
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // an IP literal never goes through lookup: check it here
    if (isIP(host) && !opts.allowPrivate && isInternalAddress(host)) {
      reject(new DestinationError(`${host} is an internal address`));
      return;
    }
    if (url.protocol !== "https:" && !(opts.allowPrivate && url.protocol === "http:")) {
      reject(new DestinationError("must be an https:// URL"));
      return;
    }
    const lib = url.protocol === "https:" ? https : http;
    const req = lib.request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Bulwark-Notifications/1",
          ...headers,
        },
        lookup: guardedLookup(opts) as never,
        timeout: opts.timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          clearTimeout(deadline);
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY),
            headers: { "retry-after": res.headers["retry-after"] },
          });
        });
        res.on("error", (e) => {
          clearTimeout(deadline);
          reject(e);
        });
      },
    );
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on("error", (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    req.end(body);
  });
}
