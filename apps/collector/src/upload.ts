import { gzipSync } from "node:zlib";
import { signRequest } from "./signing.js";

export interface UploadOptions {
  baseUrl: string;
  keyId: string;
  secret: string;
  gzip?: boolean;
  fetchImpl?: typeof fetch;
}

export interface UploadResult {
  status: number;
  body: unknown;
  headers: Headers;
}

/** POST one report envelope to /v1/reports, signed (and gzipped unless told otherwise). */
export async function uploadReport(envelope: unknown, opts: UploadOptions): Promise<UploadResult> {
  const path = "/v1/reports";
  const raw = Buffer.from(JSON.stringify(envelope));
  const gzip = opts.gzip ?? true;
  const body = gzip ? gzipSync(raw) : raw;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    ...signRequest({ method: "POST", path, body, keyId: opts.keyId, secret: opts.secret }),
  };
  if (gzip) headers["Content-Encoding"] = "gzip";
  const res = await (opts.fetchImpl ?? fetch)(new URL(path, opts.baseUrl), { method: "POST", headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // non-JSON body: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
