import { gzipSync } from "node:zlib";
import { signRequest } from "./signing.js";

export const REPORTS_PATH = "/v1/reports";

export interface UploadOptions {
  baseUrl: string;
  keyId: string;
  secret: string;
  gzip?: boolean;
  fetchImpl?: typeof fetch;
  /** aborts the request (a per-attempt timeout) */
  signal?: AbortSignal;
}

export interface UploadResult {
  status: number;
  body: unknown;
  headers: Headers;
}

/** An envelope as it goes on the wire: its JSON bytes and the body actually sent (gzip of them, by default). */
export interface EncodedEnvelope {
  json: Buffer;
  body: Buffer;
  gzip: boolean;
}

export function encodeEnvelope(envelope: unknown, gzip = true): EncodedEnvelope {
  const json = Buffer.from(JSON.stringify(envelope));
  return { json, body: gzip ? gzipSync(json) : json, gzip };
}

/** Every header but the signing ones (those change per attempt: a retried request needs a fresh nonce). */
export function contentHeaders(encoded: EncodedEnvelope): Record<string, string> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (encoded.gzip) headers["Content-Encoding"] = "gzip";
  return headers;
}

/** POST an encoded envelope, signed now with a fresh timestamp and nonce. */
export async function postEncoded(encoded: EncodedEnvelope, opts: UploadOptions): Promise<UploadResult> {
  const headers = {
    ...contentHeaders(encoded),
    ...signRequest({
      method: "POST",
      path: REPORTS_PATH,
      body: encoded.body,
      keyId: opts.keyId,
      secret: opts.secret,
    }),
  };
  const init: RequestInit = { method: "POST", headers, body: encoded.body };
  if (opts.signal) init.signal = opts.signal;
  const res = await (opts.fetchImpl ?? fetch)(new URL(REPORTS_PATH, opts.baseUrl), init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // non-JSON body: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** POST one report envelope to /v1/reports, signed (and gzipped unless told otherwise). */
export async function uploadReport(envelope: unknown, opts: UploadOptions): Promise<UploadResult> {
  return postEncoded(encodeEnvelope(envelope, opts.gzip ?? true), opts);
}
