import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeApiServer, loadFixture, startFakeApiServer } from "./support/fake-apiserver.js";
import { runCli } from "./support/run-cli.js";

/** kube-bench runs once per node; its reports must reach the server as one snapshot, never as rivals. */
const env = {
  BULWARK_URL: "https://bulwark.example.com",
  BULWARK_KEY_ID: "key_m",
  BULWARK_KEY_SECRET: "bws_m",
};
const sample = JSON.parse(readFileSync("samples/kube-bench.json", "utf8")) as {
  Controls: { node_type: string }[];
  Totals: Record<string, number>;
};
const dir = mkdtempSync(join(tmpdir(), "kube-bench-"));
const controlPlane = join(dir, "control-plane.json");
const worker = join(dir, "worker.json");
writeFileSync(
  controlPlane,
  JSON.stringify({ ...sample, Controls: sample.Controls.filter((c) => c.node_type !== "node") }),
);
// an older kube-bench on the worker writes the bare array of controls
writeFileSync(worker, JSON.stringify(sample.Controls.filter((c) => c.node_type === "node")));

let fake: FakeApiServer;
beforeAll(async () => {
  fake = await startFakeApiServer({
    objects: loadFixture(new URL("./fixtures/cluster.yaml", import.meta.url)),
  });
});
afterAll(() => fake.close());

describe("kube-bench from several nodes", () => {
  it("goes as one upload holding every node's controls", async () => {
    const r = await runCli(
      fake,
      ["--no-cluster", "--file", `kube-bench=${controlPlane}`, "--file", `kube-bench=${worker}`],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(r.files)).toEqual(["kube-bench"]);
    const report = r.files["kube-bench"]?.envelope.report as unknown as { Controls: { node_type: string }[] };
    expect(report.Controls.map((c) => c.node_type).sort()).toEqual(
      sample.Controls.map((c) => c.node_type).sort(),
    );
  });

  it("sends nothing for kube-bench when one node's report is unreadable (the rest would resolve its findings)", async () => {
    const r = await runCli(
      fake,
      [
        "--no-cluster",
        "--file",
        `kube-bench=${controlPlane}`,
        "--file",
        `kube-bench=${join(dir, "missing.json")}`,
      ],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.files).toEqual({});
    expect(r.stdout + r.stderr).toContain("missing.json");
  });
});
