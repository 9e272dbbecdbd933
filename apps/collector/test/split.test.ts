import { startApi } from "@bulwark/api/server";
import { createLogger } from "@bulwark/runtime";
import { startWorker } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTrivyK8s } from "../../../bench/generate.js";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import type { Envelope } from "../src/deliver.js";
import { splitEnvelope, type UploadLimits } from "../src/split.js";
import { encodeEnvelope, postEncoded } from "../src/upload.js";

type Resource = { Namespace?: string; Kind: string; Name: string };
const SMALL: UploadLimits = { maxBodyBytes: 12 * 1024, maxJsonBytes: 10 * 1024 * 1024 };

function trivyEnvelope(resources: Resource[], collectedAt: string): Envelope {
  return {
    schemaVersion: 1,
    source: "trivy",
    collectedAt,
    runId: "run-1",
    report: { ClusterName: "big", Resources: resources },
  };
}

const { report } = generateTrivyK8s(2_000);
const resources = report.Resources as Resource[];

describe("splitting a report over the upload limits", () => {
  it("sends a report that fits as one upload, unchanged", () => {
    const env = trivyEnvelope(resources.slice(0, 3), "2026-01-01T00:00:00Z");
    const parts = splitEnvelope(env);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.envelope).toBe(env);
  });

  it("makes namespace-scoped parts under the limits and a remainder for cluster-scoped objects", () => {
    const env = trivyEnvelope(resources, "2026-01-01T00:00:00Z");
    const parts = splitEnvelope(env, SMALL);
    expect(parts.length).toBeGreaterThan(3);
    const seen: Resource[] = [];
    const namespaces = new Set<string>();
    for (const [i, p] of parts.entries()) {
      const items = (p.envelope.report as { Resources: Resource[] }).Resources;
      seen.push(...items);
      const last = i === parts.length - 1;
      if (!last) {
        const own = p.envelope.scope?.namespaces ?? [];
        expect(own.length).toBeGreaterThan(0);
        for (const r of items) expect(own).toContain(r.Namespace);
        for (const ns of own) {
          expect(namespaces.has(ns)).toBe(false);
          namespaces.add(ns);
        }
        expect(encodeEnvelope(p.envelope).body.length).toBeLessThanOrEqual(SMALL.maxBodyBytes);
      } else {
        // the remainder: cluster-scoped objects, everything but the namespaces of the other parts
        expect(p.envelope.scope).toEqual({ excludeNamespaces: [...namespaces] });
        for (const r of items) expect(r.Namespace ?? null).toBeNull();
      }
      expect(p.envelope.collectedAt).toBe(env.collectedAt);
      expect(p.envelope.runId).toBe(env.runId);
    }
    expect(seen).toHaveLength(resources.length);
  });

  it("keeps a partial read's scope: parts never reach past it", () => {
    const env = trivyEnvelope(
      resources.filter((r) => r.Namespace === "team-1" || r.Namespace === "team-2"),
      "2026-01-01T00:00:00Z",
    );
    env.scope = { namespaces: ["team-1", "team-2", "team-3"] };
    const parts = splitEnvelope(env, { ...SMALL, maxBodyBytes: 2 * 1024 });
    const scopes = parts.flatMap((p) => p.envelope.scope?.namespaces ?? []);
    expect(scopes.sort()).toEqual(["team-1", "team-2", "team-3"]);
    expect(parts.every((p) => p.envelope.scope?.excludeNamespaces === undefined)).toBe(true);
  });
});

describe("split uploads through the real API and worker", () => {
  const logger = createLogger("silent");
  let ctx: TestContext;
  let api: Awaited<ReturnType<typeof startApi>>;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let token: string;

  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(new URL(path, api.url), {
      method: body ? "POST" : "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    api = await startApi(ctx.config, logger);
    worker = await startWorker(ctx.config, logger);
    const res = await fetch(new URL("/admin/v1/tenants", api.url), {
      method: "POST",
      headers: { authorization: `Bearer ${ctx.config.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "split" }),
    });
    token = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await ctx?.close();
  });

  async function send(
    cluster: { key: { keyId: string; secret: string } },
    env: Envelope,
    limits?: UploadLimits,
  ) {
    const ids: string[] = [];
    for (const p of splitEnvelope(env, limits)) {
      const r = await postEncoded(p.encoded ?? encodeEnvelope(p.envelope), {
        baseUrl: api.url,
        keyId: cluster.key.keyId,
        secret: cluster.key.secret,
      });
      expect([200, 202]).toContain(r.status);
      ids.push((r.body as { reportId: string }).reportId);
    }
    const deadline = Date.now() + 30_000;
    for (const id of ids) {
      for (;;) {
        const r = await call<{ status: string; error: string | null }>(`/v1/reports/${id}`);
        if (r.status === "done") break;
        if (r.status === "failed") throw new Error(r.error ?? "failed");
        if (Date.now() > deadline) throw new Error(`report ${id} still ${r.status}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    }
    return ids.length;
  }

  async function states(clusterId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page: { items: { fingerprint: string; status: string }[]; nextCursor: string | null } =
        await call(
          `/v1/findings?cluster=${clusterId}&status=all&limit=500${cursor ? `&cursor=${cursor}` : ""}`,
        );
      for (const f of page.items) out.set(f.fingerprint, f.status);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  it("a split cluster ends with the findings of one whole upload, and resolves a namespace that vanished", async () => {
    type C = { cluster: { id: string }; key: { keyId: string; secret: string } };
    const whole = await call<C>("/v1/clusters", { name: "whole" });
    const split = await call<C>("/v1/clusters", { name: "split" });
    const first = trivyEnvelope(resources, new Date(Date.now() - 120_000).toISOString());
    expect(await send(whole, first)).toBe(1);
    expect(await send(split, first, SMALL)).toBeGreaterThan(3);
    const a = await states(whole.cluster.id);
    expect(a.size).toBeGreaterThan(100);
    expect(await states(split.cluster.id)).toEqual(a);

    // the next scan: namespace team-7 is gone entirely, and the cluster-scoped ClusterRoles too
    const later = trivyEnvelope(
      resources.filter((r) => r.Namespace !== "team-7" && r.Namespace),
      new Date(Date.now() - 60_000).toISOString(),
    );
    await send(whole, later);
    await send(split, later, SMALL);
    const b = await states(whole.cluster.id);
    expect([...b.values()].filter((s) => s === "resolved").length).toBeGreaterThan(0);
    expect(await states(split.cluster.id)).toEqual(b);
  }, 120_000);
});
