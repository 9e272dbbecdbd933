import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { loadCollectorConfig } from "../src/config.js";

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const sending = {
  BULWARK_URL: "https://bulwark.example.com",
  BULWARK_KEY_ID: "key_1",
  BULWARK_KEY_SECRET: "bws_s3cret",
};

describe("configuration", () => {
  it("--help prints the usage and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: bulwark-collector");
    expect(r.stdout).toContain("--file SOURCE=PATH");
  });

  it("names every missing setting and where it comes from, exit 2", async () => {
    const r = await run(["--no-cluster", "--file", "kube-bench=/tmp/x.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--url / BULWARK_URL: required");
    expect(r.stderr).toContain("--key-id / BULWARK_KEY_ID: required");
    expect(r.stderr).toContain("BULWARK_KEY_SECRET: required");
    expect(r.stdout).toBe("");
  });

  it("rejects an unknown flag, a bad --file and a repeated source", async () => {
    expect((await run(["--bogus"])).stderr).toMatch(/Unknown option '--bogus'[\s\S]*--help/);
    const bad = await run(["--no-cluster", "--file", "nmap=/tmp/x.json"], sending);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"nmap=/tmp/x.json" must be SOURCE=PATH with SOURCE one of kube-bench');
    const twice = await run(["--no-cluster", "--file", "trivy=a.json", "--file", "trivy=b.json"], sending);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("--file trivy= given twice");
  });

  it("validates URL, output, page size and namespaces", async () => {
    const r = await run(
      [
        "--url",
        "ftp://x",
        "--output",
        "yaml",
        "--page-size",
        "0",
        "--namespace",
        "Not_A_Namespace",
        "--no-cluster",
        "--file",
        "popeye=p.json",
      ],
      sending,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--url / BULWARK_URL: must be an http(s) URL");
    expect(r.stderr).toContain("--output / BULWARK_OUTPUT: must be text or json");
    expect(r.stderr).toContain("--page-size / BULWARK_PAGE_SIZE:");
    expect(r.stderr).toContain("--namespace / BULWARK_NAMESPACES[0]: must be a namespace name");
  });

  it("--dry-run needs --out but no credentials; --out needs --dry-run", async () => {
    expect((await run(["--dry-run", "--no-cluster", "--file", "trivy=t.json"])).stderr).toContain(
      "--dry-run needs --out DIR",
    );
    expect(
      (await run(["--out", "/tmp/x", "--no-cluster", "--file", "trivy=t.json"], sending)).stderr,
    ).toContain("--out is only for --dry-run");
  });

  it("flags win over the environment; the secret comes from a file when one is named", () => {
    const dir = mkdtempSync(join(tmpdir(), "bulwark-cfg-"));
    writeFileSync(join(dir, "secret"), "bws_from-file\n");
    const c = loadCollectorConfig(
      { url: "https://flag.example.com", "key-secret-file": join(dir, "secret"), namespace: ["web"] },
      { ...sending, BULWARK_CONTEXT: "prod", BULWARK_NAMESPACES: "a,b", BULWARK_PAGE_SIZE: "250" },
    );
    expect(c).toMatchObject({
      url: "https://flag.example.com",
      keyId: "key_1",
      keySecret: "bws_from-file",
      context: "prod",
      namespaces: ["web"],
      pageSize: 250,
      istioNamespace: "istio-system",
      output: "text",
    });
  });

  it("a kubeconfig without the asked context is a configuration error, before anything is read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bulwark-kc-"));
    const kubeconfig = join(dir, "config");
    writeFileSync(
      kubeconfig,
      "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dev, context: {cluster: c, user: u}}]\ncurrent-context: dev\n",
    );
    const r = await run(["--kubeconfig", kubeconfig, "--context", "prod"], sending);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('context "prod" is not in the kubeconfig (it has: dev)');
  });
});
