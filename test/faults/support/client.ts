import { randomBytes } from "node:crypto";
import { encodeEnvelope, postEncoded } from "../../../apps/collector/src/upload.js";

export interface Tenant {
  tenantId: string;
  token: string;
}

export interface Cluster {
  clusterId: string;
  name: string;
  key: { keyId: string; secret: string };
}

async function post<T>(url: string, path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(new URL(path, url), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function createTenant(url: string, adminToken: string, name: string): Promise<Tenant> {
  const r = await post<{ tenant: { id: string }; token: string }>(url, "/admin/v1/tenants", adminToken, {
    name,
  });
  return { tenantId: r.tenant.id, token: r.token };
}

export async function createCluster(url: string, tenant: Tenant, name: string): Promise<Cluster> {
  const r = await post<{ cluster: { id: string }; key: { keyId: string; secret: string } }>(
    url,
    "/v1/clusters",
    tenant.token,
    { name },
  );
  return { clusterId: r.cluster.id, name, key: r.key };
}

export interface Accepted {
  reportId: string;
  status: number;
  attempts: number;
}

/**
 * Upload like the collector does under faults: signed anew per attempt; network errors, 429 and 5xx are
 * retried after a short wait (Retry-After, capped) until `deadlineMs`; any other status is final.
 */
export async function uploadUntilAccepted(
  urls: () => string,
  cluster: Cluster,
  envelope: unknown,
  deadlineMs = 90_000,
): Promise<Accepted> {
  const encoded = encodeEnvelope(envelope, true);
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await postEncoded(encoded, {
        baseUrl: urls(),
        keyId: cluster.key.keyId,
        secret: cluster.key.secret,
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status === 200 || res.status === 202)
        return {
          reportId: (res.body as { reportId: string }).reportId,
          status: res.status,
          attempts: attempt,
        };
      if (res.status !== 429 && res.status < 500)
        throw new FinalError(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
      const after = Number(res.headers.get("retry-after") ?? "1");
      await sleep(Math.min(2_000, Math.max(200, after * 1000)));
    } catch (e) {
      if (e instanceof FinalError) throw e;
      await sleep(300);
    }
    if (Date.now() > deadline) throw new Error(`upload not accepted within ${deadlineMs} ms`);
  }
}

class FinalError extends Error {}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function getJson<T>(
  url: string,
  path: string,
  token: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, url), { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export interface ReportState {
  id: string;
  status: string;
  error: string | null;
}

/** Poll until every report is done or failed (errors while a dependency is down are retried). */
export async function waitForReports(
  url: () => string,
  token: string,
  ids: string[],
  timeoutMs: number,
): Promise<ReportState[]> {
  const deadline = Date.now() + timeoutMs;
  const states = new Map<string, ReportState>();
  while (Date.now() < deadline) {
    for (const id of ids) {
      if (["done", "failed"].includes(states.get(id)?.status ?? "")) continue;
      try {
        const r = await getJson<ReportState>(url(), `/v1/reports/${id}`, token);
        if (r.status === 200) states.set(id, r.body);
      } catch {
        // the API may be restarting
      }
    }
    if (ids.every((id) => ["done", "failed"].includes(states.get(id)?.status ?? "")))
      return ids.map((id) => states.get(id) as ReportState);
    await sleep(250);
  }
  const pending = ids.filter((id) => !["done", "failed"].includes(states.get(id)?.status ?? ""));
  throw new Error(
    `reports not finished within ${timeoutMs} ms: ${pending.map((id) => `${id}=${states.get(id)?.status}`).join(", ")}`,
  );
}

/** Every finding of one cluster: `source/fingerprint` → status. */
export async function findingStates(
  url: string,
  token: string,
  clusterId: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ cluster: clusterId, status: "all", limit: "500" });
    if (cursor) q.set("cursor", cursor);
    const r = await getJson<{
      items: { source: string; fingerprint: string; status: string }[];
      nextCursor: string | null;
    }>(url, `/v1/findings?${q}`, token);
    if (r.status !== 200) throw new Error(`GET /v1/findings: ${r.status}`);
    for (const f of r.body.items) out.set(`${f.source}/${f.fingerprint}`, f.status);
    cursor = r.body.nextCursor;
  } while (cursor);
  return out;
}

export const randomToken = () => randomBytes(24).toString("hex");
