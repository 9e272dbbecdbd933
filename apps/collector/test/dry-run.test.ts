import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { type FakeApiServer, loadFixture, startFakeApiServer } from "./support/fake-apiserver.js";
import { runCli } from "./support/run-cli.js";

const env = {
  BULWARK_URL: "https://bulwark.example.com",
  BULWARK_KEY_ID: "key_audit",
  BULWARK_KEY_SECRET: "bws_never-written-anywhere",
};
let fake: FakeApiServer;
beforeAll(async () => {
  fake = await startFakeApiServer({
    objects: loadFixture(new URL("./fixtures/cluster.yaml", import.meta.url)),
  });
});
afterAll(() => fake.close());

describe("--dry-run", () => {
  it("writes one file per upload: the request line, the headers without a signature, the exact envelope", async () => {
    const noNetwork = (() => {
      throw new Error("a dry run must not send");
    }) as unknown as typeof fetch;
    const r = await runCli(
      fake,
      ["--file", "kube-bench=samples/kube-bench.json", "--file", "trivy=samples/trivy-k8s.json"],
      env,
      {
        deps: { fetchImpl: noNetwork },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(r.files).sort()).toEqual(["kube-bench", "mesh-config", "trivy", "trivy-operator"]);
    const bench = r.files["kube-bench"];
    expect(bench?.request).toEqual({
      method: "POST",
      url: "https://bulwark.example.com/v1/reports",
      headers: {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        "X-Bulwark-Key": "key_audit",
        "X-Bulwark-Timestamp": expect.stringContaining("time of sending"),
        "X-Bulwark-Nonce": expect.stringContaining("random"),
        "X-Bulwark-Signature": expect.stringContaining("not written"),
      },
    });
    // the body is the compact JSON of the envelope shown: an auditor can recompute the hash
    const envelope = bench?.envelope;
    expect(createHash("sha256").update(JSON.stringify(envelope)).digest("hex")).toBe(bench?.body.jsonSha256);
    expect(envelope).toMatchObject({ schemaVersion: 1, source: "kube-bench", runId: r.summary?.runId });
    expect(envelope?.report).toHaveProperty("Controls");
    // one runId for the whole run
    expect(new Set(Object.values(r.files).map((f) => f.envelope.runId)).size).toBe(1);
    expect(r.raw).not.toContain(env.BULWARK_KEY_SECRET);
    expect(r.raw).not.toMatch(/v1=[0-9a-f]{64}/);
  });

  it("says what it did in plain text: progress on stderr, the summary on stdout", async () => {
    let stdout = "";
    let stderr = "";
    const dir = `/tmp/bulwark-dry-${process.pid}-${Date.now()}`;
    const kube = `${dir}.kubeconfig`;
    (await import("node:fs")).writeFileSync(kube, fake.kubeconfigYaml());
    const code = await main(
      ["--kubeconfig", kube, "--context", "fake", "--dry-run", "--out", dir],
      {},
      {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
      },
    );
    expect(code).toBe(0);
    expect(stderr).toContain("reading the cluster at http://127.0.0.1:");
    expect(stderr).toMatch(/ {2}pods: 5\n/);
    expect(stdout).toMatch(/^run [0-9a-f-]{36}, cluster collected at .*\(dry run: nothing sent\)/);
    expect(stdout).toMatch(/mesh-config +written +\d+ objects/);
    expect(stdout).toContain("kinds: 34 read in full, 0 not");
  });

  it("fails a --file that is missing or not JSON, one line each, and still writes the rest", async () => {
    const r = await runCli(undefined, [
      "--no-cluster",
      "--file",
      "polaris=/nonexistent.json",
      "--file",
      "popeye=README.md",
      "--file",
      "kube-bench=samples/kube-bench.json",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "bulwark-collector: upload polaris failed: cannot read /nonexistent.json: ENOENT",
      expect.stringMatching(/^bulwark-collector: upload popeye failed: README.md is not JSON: /),
    ]);
    expect(Object.keys(r.files)).toEqual(["kube-bench"]);
  });
});
