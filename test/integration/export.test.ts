import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { taxonomyFor } from "@bulwark/schema";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

const require = createRequire(import.meta.url);
/** The official SARIF 2.1.0 schema (OASIS, rtm.5), as shipped in @microsoft/jest-sarif. */
const SARIF_SCHEMA = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
);

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold both and "" for a quote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else if (ch === "\n" || ch === "\r") throw new Error(`bare line break at ${i}`);
    else field += ch;
    i++;
  }
  if (field !== "" || row.length > 0) throw new Error("last record not terminated by CRLF");
  return rows;
}

let s: Scenario;
let t: ScenarioTenant;
const hostile = [
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  "-2+3",
  "@SUM(A1)",
  "\tTAB",
  'quote " and, comma\r\nnew line',
];

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("export", ["prod"]);
  await s.apply(
    t,
    "prod",
    hostile.map((title, i) =>
      draft({ ruleId: `CVE-H${i}`, title, remediation: i === 0 ? "=1+1" : "upgrade" }),
    ),
  );
  await s.apply(
    t,
    "prod",
    Array.from({ length: 2500 }, (_, i) =>
      draft({
        ruleId: `KSV-${String(i % 50).padStart(4, "0")}`,
        severity: i % 7 === 0 ? "high" : "low",
        taxonomy: taxonomyFor("LP-CTR"),
        resource: {
          kind: "Deployment",
          namespace: `ns-${i % 9}`,
          name: `app-${i}`,
          container: "c",
          image: null,
        },
        references: ["https://avd.aquasec.com/misconfig/ksv"],
        remediation: "Set securityContext.runAsNonRoot.",
      }),
    ),
    { source: "kube-bench" },
  );
});
afterAll(async () => {
  await s?.close();
});

async function exportText(q: string, tenant: ScenarioTenant = t) {
  const res = await s.h.app.request(`/v1/findings/export?${q}`, {
    headers: { authorization: `Bearer ${tenant.token}` },
  });
  return { res, text: await res.text() };
}

describe("GET /v1/findings/export", () => {
  it("CSV: RFC 4180 with a header row, one row per finding, no cell a spreadsheet would run", async () => {
    const { res, text } = await exportText("format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="bulwark-findings-.*\.csv"$/,
    );
    const rows = parseCsv(text);
    expect(rows[0]?.slice(0, 5)).toEqual(["id", "cluster", "source", "ruleId", "title"]);
    expect(rows).toHaveLength(1 + hostile.length + 2500);
    const cells = rows.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    const titles = rows.filter((r) => r[3]?.startsWith("CVE-H")).map((r) => r[4]);
    expect(titles).toContain('\'=HYPERLINK("http://evil","x")');
    expect(titles).toContain("'-2+3");
    expect(titles).toContain('quote " and, comma\r\nnew line');
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(2500 + hostile.length);
  });

  it("NDJSON: one Finding per line, under the list's filters", async () => {
    const { text } = await exportText("format=ndjson&source=kube-bench&severity=high");
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(Math.ceil(2500 / 7));
    expect(
      lines.every((f) => f.severity === "high" && f.source === "kube-bench" && f.cluster.name === "prod"),
    ).toBe(true);
  });

  it("SARIF 2.1.0 that validates against the official schema: one run per source, rules with help and taxonomy", async () => {
    const { res, text } = await exportText("format=sarif");
    expect(res.headers.get("content-type")).toBe("application/sarif+json");
    const log = JSON.parse(text);
    // the schema's patterns are ECMA-262 without the u flag (one is not valid with it)
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const valid = ajv.validate(SARIF_SCHEMA, log);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.runs.map((r: { properties: { source: string } }) => r.properties.source)).toEqual([
      "kube-bench",
      "trivy",
    ]);
    const kb = log.runs[0];
    expect(kb.results).toHaveLength(2500);
    expect(kb.tool.driver.rules).toHaveLength(50);
    const rule = kb.tool.driver.rules[kb.results[0].ruleIndex];
    expect(rule.id).toBe(kb.results[0].ruleId);
    expect(rule.help.text).toContain("Remediation");
    expect(rule.properties.strategy.id).toBe("LP-CTR");
    expect(rule.properties.nist.length).toBeGreaterThan(0);
    expect(kb.results[0].partialFingerprints["bulwarkFinding/v1"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("SARIF fingerprints are stable across exports", async () => {
    const fps = async () =>
      JSON.parse((await exportText("format=sarif&source=trivy")).text)
        .runs[0].results.map(
          (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints["bulwarkFinding/v1"],
        )
        .sort();
    expect(await fps()).toEqual(await fps());
  });

  it("an empty export is still a valid file", async () => {
    const { text } = await exportText("format=sarif&cluster=none");
    expect(JSON.parse(text)).toEqual({
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [],
    });
    expect(parseCsv((await exportText("format=csv&cluster=none")).text)).toHaveLength(1);
  });

  it("a client that goes away mid-stream gives its connection back", async () => {
    const res = await s.h.app.request("/v1/findings/export?format=ndjson", {
      headers: { authorization: `Bearer ${t.token}` },
    });
    const reader = res.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    for (let i = 0; i < 50 && s.h.ctx.pool.idleCount < s.h.ctx.pool.totalCount; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(s.h.ctx.pool.idleCount).toBe(s.h.ctx.pool.totalCount);
    const open = await s.h.ctx.ownerPool.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    );
    expect(open.rows[0].n).toBe(0);
  });

  it.each(["", "format=xml", "format=csv&sort=title", "format=csv&colour=red"])(
    "answers 400 for %s",
    async (q) => {
      expect((await exportText(q)).res.status).toBe(400);
    },
  );

  it("CSV records and NDJSON lines (written by Postgres) hold each finding as the list route has it, CSV escaped as csvCell does", async () => {
    // every kind of value: hostile text in each free-text column, nulls, arrays, resolved and suppressed findings
    const u = await s.tenant("export-records", ["prod"]);
    const drafts = hostile.map((v, i) =>
      draft({
        ruleId: i % 2 ? v : `CVE-X${i}`,
        title: `t${i}`,
        remediation: i % 3 ? v : null,
        references: [v, "https://x.example/a,b"],
        details: {
          description: `${v} — é 日本 😀`,
          cvss: { score: 9.8, vector: null },
          list: [1, "a", true],
        },
        resource: {
          kind: v,
          namespace: i % 2 ? null : v,
          name: `=n${i}`,
          container: v,
          image: i % 2 ? v : null,
        },
      }),
    );
    const at = Date.now() - 30_000;
    await s.apply(u, "prod", drafts, { source: "polaris", at: new Date(at) });
    // an empty re-scan resolves them all, then one reopens half
    await s.apply(u, "prod", [], { source: "polaris", at: new Date(at + 1000) });
    await s.apply(u, "prod", drafts.slice(0, 3), { source: "polaris", at: new Date(at + 2000) });
    const sup = await s.send(u, "POST", "/v1/suppressions", {
      selector: { ruleId: "CVE-X0" },
      reason: "accepted",
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(sup.status).toBe(201);
    const q = "status=all&source=polaris";
    const out = await exportText(`format=csv&${q}`, u);
    expect(out.res.status).toBe(200);
    const csv = parseCsv(out.text);
    const json = (await exportText(`format=ndjson&${q}`, u)).text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const formula = (v: string | null) => (v !== null && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ""));
    const expected = json.map((f) =>
      [
        f.id,
        f.cluster.name,
        f.source,
        f.ruleId,
        f.title,
        f.severity,
        f.status,
        f.taxonomy.category,
        f.taxonomy.strategy,
        f.taxonomy.nist.join(" "),
        f.resource.namespace,
        f.resource.kind,
        f.resource.name,
        f.resource.container,
        f.resource.image,
        f.firstSeenAt,
        f.lastSeenAt,
        f.resolvedAt,
        f.fingerprint,
        f.remediation,
        f.references.join(" "),
      ].map(formula),
    );
    expect(csv.slice(1)).toEqual(expected);
    // the NDJSON lines (also written by Postgres) are the list route's Findings, member for member
    const list = await s.get<{ items: unknown[] }>(u, `/v1/findings?${q}&limit=100`);
    expect(json).toEqual(list.body.items);
    // the SARIF results (written by Postgres too) say what the Findings say
    const sarif = JSON.parse((await exportText(`format=sarif&${q}`, u)).text);
    const run = sarif.runs[0];
    // biome-ignore lint/suspicious/noExplicitAny: parsed NDJSON Findings
    const byId = new Map<string, any>(json.map((f: { id: string }) => [f.id, f]));
    const level: Record<string, string> = {
      critical: "error",
      high: "error",
      medium: "warning",
      low: "note",
    };
    expect(run.results).toHaveLength(json.length);
    for (const r of run.results) {
      const f = byId.get(r.properties.findingId);
      const where =
        [f.cluster.name, f.resource.namespace, f.resource.kind, f.resource.name, f.resource.container]
          .filter(Boolean)
          .join("/") || f.cluster.name;
      expect(r).toEqual({
        ruleId: f.ruleId,
        ruleIndex: expect.any(Number),
        level: level[f.severity] ?? "note",
        message: { text: `${f.title} (${where})` },
        locations: [
          {
            logicalLocations: [
              { name: f.resource.name ?? f.cluster.name, fullyQualifiedName: where, kind: "resource" },
            ],
          },
        ],
        partialFingerprints: { "bulwarkFinding/v1": f.fingerprint },
        ...(f.status === "suppressed" ? { suppressions: [{ kind: "external", status: "accepted" }] } : {}),
        properties: {
          findingId: f.id,
          severity: f.severity,
          status: f.status,
          cluster: f.cluster,
          resource: f.resource,
          taxonomy: f.taxonomy,
          firstSeenAt: f.firstSeenAt,
          lastSeenAt: f.lastSeenAt,
        },
      });
      const rule = run.tool.driver.rules[r.ruleIndex];
      expect(rule.id).toBe(f.ruleId);
      expect(rule.shortDescription.text).toBe(f.title);
    }
    const statuses = new Set(expected.map((r: string[]) => r[6]));
    expect([...statuses].sort()).toEqual(["open", "resolved", "suppressed"]);
    expect(expected.some((r: string[]) => r[17] !== "")).toBe(true);
  });
});
