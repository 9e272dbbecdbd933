import { gzipSync } from "node:zlib";
import { signRequest } from "../../../collector/src/signing.js";
import type { TestApp } from "./harness.js";

export interface SigningKey {
  keyId: string;
  secret: string;
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

async function toJson<T>(res: Response): Promise<JsonResponse<T>> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

/** A tenant API call with a Bearer token (and a JSON body when given). */
export async function call<T = Record<string, unknown>>(
  app: TestApp,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === "string"
        ? opts.body
        : JSON.stringify(opts.body);
  return toJson<T>(await app.request(path, { method, headers, body }));
}

export async function createTenant(app: TestApp, adminToken: string, name = "acme") {
  const res = await call<{ tenant: { id: string; name: string }; token: string }>(
    app,
    "POST",
    "/admin/v1/tenants",
    {
      token: adminToken,
      body: { name },
    },
  );
  if (res.status !== 201)
    throw new Error(`tenant creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { tenantId: res.body.tenant.id, token: res.body.token };
}

export async function createCluster(app: TestApp, token: string, name = "prod-eu-1") {
  const res = await call<{ cluster: { id: string; name: string }; key: SigningKey }>(
    app,
    "POST",
    "/v1/clusters",
    {
      token,
      body: { name },
    },
  );
  if (res.status !== 201)
    throw new Error(`cluster creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { clusterId: res.body.cluster.id, key: res.body.key };
}

export function envelope(over: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    source: "kube-bench",
    collectedAt: new Date(Date.now() - 60_000).toISOString(),
    report: { Controls: [], nonce: Math.random() },
    ...over,
  };
}

export interface UploadOptions {
  gzip?: boolean;
  path?: string;
  headers?: Record<string, string>;
  /** change the signing inputs */
  timestamp?: number;
  nonce?: string;
  secret?: string;
  keyId?: string;
  /** drop these headers after signing */
  omit?: string[];
}

/** A signed POST /v1/reports, as the collector sends it. `body` may be raw bytes or an object to JSON-encode. */
export async function upload<T = Record<string, unknown>>(
  app: TestApp,
  key: SigningKey,
  body: unknown,
  opts: UploadOptions = {},
): Promise<JsonResponse<T>> {
  const path = opts.path ?? "/v1/reports";
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const bytes = opts.gzip ? gzipSync(raw) : raw;
  const signed = signRequest({
    method: "POST",
    path,
    body: bytes,
    keyId: opts.keyId ?? key.keyId,
    secret: opts.secret ?? key.secret,
    timestamp: opts.timestamp,
    nonce: opts.nonce,
  });
  const headers: Record<string, string> = { "content-type": "application/json", ...signed, ...opts.headers };
  if (opts.gzip) headers["content-encoding"] ??= "gzip";
  for (const h of opts.omit ?? []) {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === h.toLowerCase()) delete headers[k];
  }
  return toJson<T>(await app.request(path, { method: "POST", headers, body: bytes }));
}
