/**
 * The collector's edges as a new user meets them: no kubeconfig, a --file of the wrong kind, a summary whose
 * columns hold for long kind names, and --wait following each report to the worker's verdict (real API and
 * worker) with the documented exit codes.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApi } from "@bulwark/api/server";
import { createLogger } from "@bulwark/runtime";
import { startWorker } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { EXIT, formatSummary, main } from "../src/cli.js";
import type { RunSummary } from "../src/run.js";

async function run(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = "";
  let stderr = "";
  const started = Date.now();
  const code = await main(argv, env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr, ms: Date.now() - started };
}

const tmp = () => mkdtempSync(join(tmpdir(), "bulwark-edges-"));

function file(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const GOOD_BENCH = {
  Controls: [
    {
      id: "4",
      version: "cis-1.8",
      text: "Worker Node Security Configuration",
      node_type: "node",
      tests: [
        {
          section: "4.2",
          desc: "Kubelet",
          results: [
            {
              test_number: "4.2.1",
              test_desc: "Ensure that the --anonymous-auth argument is set to false",
              status: "FAIL",
              scored: true,
              remediation: "Set authentication: anonymous: enabled: false",
            },
          ],
        },
      ],
    },
  ],
};

describe("without a cluster to read", () => {
  it("stops at once with a clear message when there is no kubeconfig and no pod", async () => {
    const home = tmp();
    const out = join(home, "out");
    const r = await run(["--dry-run", "--out", out], { HOME: home });
    expect(r.code).toBe(EXIT.config);
    expect(r.ms).toBeLessThan(2_000);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^bulwark-collector: cannot read the cluster: no kubeconfig: .*\.kube\/config does not exist/,
      ),
    ]);
    expect(r.stderr).toContain("--no-cluster");
    expect(r.stdout).toBe("");
    expect(() => readdirSync(out)).toThrow(); // nothing written
  });

  it("--file without --no-cluster reads the cluster too, as the help says: no kubeconfig is the same error", async () => {
    const home = tmp();
    const path = file(home, "bench.json", GOOD_BENCH);
    const r = await run(["--dry-run", "--out", join(home, "out"), "--file", `kube-bench=${path}`], {
      HOME: home,
      KUBECONFIG: join(home, "missing.yaml"),
    });
    expect(r.code).toBe(EXIT.config);
    expect(r.stderr).toContain(`KUBECONFIG names ${join(home, "missing.yaml")}, none of which exists`);
    const only = await run(
      ["--dry-run", "--out", join(home, "out"), "--no-cluster", "--file", `kube-bench=${path}`],
      {
        HOME: home,
      },
    );
    expect(only.code, only.stderr).toBe(EXIT.ok);
    expect(readdirSync(join(home, "out"))).toEqual(["01-kube-bench.json"]);
  });

  it("a --file that is not that scanner's report is not sent, and the run fails", async () => {
    const home = tmp();
    const polaris = file(home, "polaris.json", { PolarisOutputVersion: "1.0", Results: [] });
    const out = join(home, "out");
    const r = await run(["--dry-run", "--out", out, "--no-cluster", "--file", `kube-bench=${polaris}`], {
      HOME: home,
    });
    expect(r.code).toBe(EXIT.uploadFailed);
    expect(r.stderr).toContain(
      "upload kube-bench failed: " +
        `${polaris}: not a kube-bench report: expected kube-bench run --json output: an object with a Controls array, or an array of controls; found an object with PolarisOutputVersion, Results`,
    );
    mkdirSync(out, { recursive: true });
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("the run summary", () => {
  const entry = (resource: string, kind: string, status: string, reason?: string) => ({
    upload: "mesh-config" as const,
    resource,
    kind,
    status: status as "failed",
    count: 0,
    ...(reason ? { reason } : {}),
  });
  const summary = (manifest: RunSummary["manifest"]): RunSummary => ({
    runId: "r",
    collectedAt: "2026-01-01T00:00:00Z",
    dryRun: true,
    ok: true,
    uploads: [],
    manifest,
  });

  it("keeps its columns for long kind names", () => {
    const text = formatSummary(
      summary([
        entry(
          "clusterinfraassessmentreports.aquasecurity.github.io",
          "ClusterInfraAssessmentReport",
          "forbidden",
          "403 no",
        ),
        entry("pods", "Pod", "failed", "500 boom"),
      ]),
    );
    const lines = text.split("\n").filter((l) => l.startsWith("  "));
    expect(lines[0]).toBe(
      "  ClusterInfraAssessmentReport (clusterinfraassessmentreports.aquasecurity.github.io)  forbidden: 403 no",
    );
    // the status column starts at the same place on every line
    expect(lines[1]?.indexOf("failed: 500 boom")).toBe(lines[0]?.indexOf("forbidden"));
    expect(lines[1]).toMatch(/^ {2}Pod \(pods\) +failed: 500 boom$/);
  });

  it("says once what failed every kind alike", () => {
    const reason = "discovery failed: connect ECONNREFUSED 127.0.0.1:6443";
    const text = formatSummary(
      summary(["a", "b", "c", "d", "e"].map((k) => entry(`${k}s`, k.toUpperCase(), "failed", reason))),
    );
    expect(text).toContain(`  5 kinds failed: ${reason}: A, B, C, D, E\n`);
    expect(text.split(reason)).toHaveLength(2);
  });
});

describe("--wait, against the real API and worker", () => {
  const logger = createLogger("silent");
  let ctx: TestContext;
  let api: Awaited<ReturnType<typeof startApi>>;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ctx = await createTestContext();
    api = await startApi(ctx.config, logger);
    worker = await startWorker(ctx.config, logger);
    const post = async <T>(path: string, body: unknown, auth: string) =>
      (await (
        await fetch(new URL(path, api.url), {
          method: "POST",
          headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).json()) as T;
    const tenant = await post<{ token: string }>(
      "/admin/v1/tenants",
      { name: "wait" },
      ctx.config.ADMIN_TOKEN,
    );
    const cluster = await post<{ key: { keyId: string; secret: string } }>(
      "/v1/clusters",
      { name: "wait-cluster" },
      tenant.token,
    );
    env = {
      HOME: tmp(),
      BULWARK_URL: api.url,
      BULWARK_KEY_ID: cluster.key.keyId,
      BULWARK_KEY_SECRET: cluster.key.secret,
    };
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await ctx?.close();
  });

  it("exits 0 once every report is processed", async () => {
    const path = file(tmp(), "bench.json", GOOD_BENCH);
    const r = await run(["--no-cluster", "--wait", "--file", `kube-bench=${path}`, "--output", "json"], env);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const s = JSON.parse(r.stdout) as RunSummary;
    expect(s.processed).toBe(true);
    expect(s.uploads[0]).toMatchObject({ source: "kube-bench", status: "sent", processing: "done" });
  });

  it("exits 3 with the server's error when a sent report fails on the server", async () => {
    // the outer shape is kube-bench's, so the collector sends it; nothing inside is usable
    const path = file(tmp(), "bench.json", { Controls: [{ id: 7, tests: "not a list" }] });
    const r = await run(["--no-cluster", "--wait", "--file", `kube-bench=${path}`], env);
    expect(r.code).toBe(EXIT.processingFailed);
    const line = r.stderr.split("\n").find((l) => l.includes("failed on the server"));
    expect(line).toMatch(
      /^bulwark-collector: report kube-bench rpt_\w+ failed on the server: .*\$\.Controls\[0\]/,
    );
    expect(r.stdout).toMatch(/kube-bench\s+sent\s+rpt_\w+ .*processed: failed/);
  });

  it("a signature the server refuses is not a report to wait for: the status route checks it like an upload", async () => {
    const path = file(tmp(), "bench.json", GOOD_BENCH);
    const r = await run(["--no-cluster", "--wait", "--file", `kube-bench=${path}`], {
      ...env,
      BULWARK_KEY_SECRET: "not-the-secret",
    });
    expect(r.code).toBe(EXIT.uploadFailed);
    expect(r.stderr).toContain("upload kube-bench failed: 401");
  });
});
