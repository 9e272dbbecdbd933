import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import type { FindingDraft } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { parseTrivy } from "../src/parsers/trivy/index.js";
import { NotStreamableError } from "../src/parsers/trivy/stream.js";
import { PayloadReadError, readReport } from "../src/stream/read-report.js";

const sample = JSON.parse(readFileSync(new URL("../../../samples/trivy-k8s.json", import.meta.url), "utf8"));
const collectedAt = new Date("2026-11-20T10:00:00Z");

/** The gzip of an envelope, delivered in chunks of `size` bytes (every split point of a value is exercised). */
function gzStream(envelope: unknown, size: number): Readable {
  const gz = gzipSync(Buffer.from(JSON.stringify(envelope)));
  const chunks: Buffer[] = [];
  for (let i = 0; i < gz.length; i += size) chunks.push(gz.subarray(i, i + size));
  return Readable.from(chunks);
}

async function read(envelope: unknown, stream = true, size = 64) {
  const drafts: FindingDraft[] = [];
  const rest = await readReport(gzStream(envelope, size), {
    source: "trivy",
    parser: parseTrivy,
    collectedAt,
    stream,
    onDrafts: async (d) => {
      drafts.push(...d);
    },
  });
  return { drafts, rest };
}

const envelope = (report: unknown) => ({ schemaVersion: 1, source: "trivy", collectedAt, report });

describe("reading a trivy k8s report one resource at a time", () => {
  it("yields exactly the drafts, meta and warnings of the whole-document parser", async () => {
    const whole = parseTrivy(sample, { source: "trivy", collectedAt });
    for (const size of [1, 7, 4096]) {
      const { drafts, rest } = await read(envelope(sample), true, size);
      expect(drafts).toEqual(whole.findings);
      expect(rest.meta).toEqual(whole.meta);
      expect(rest.skipped).toEqual(whole.skipped);
    }
  });

  it("keeps the tolerance of the parser: a malformed resource is skipped with its path", async () => {
    const report = { ...sample, Resources: [42, ...sample.Resources, { Kind: "Pod" }] };
    const whole = parseTrivy(report, { source: "trivy", collectedAt });
    const { drafts, rest } = await read(envelope(report));
    expect(drafts).toEqual(whole.findings);
    expect(rest.skipped).toEqual(whole.skipped);
    expect(rest.skipped?.first[0]?.path).toBe("$.Resources[0]");
  });

  it("strings with brackets, quotes and escapes inside do not confuse the splitter", async () => {
    const tricky = structuredClone(sample);
    tricky.ClusterName = 'a "quoted" ], {name} \\ end';
    tricky.Resources[0].Name = 'x],[{\\"y';
    const whole = parseTrivy(tricky, { source: "trivy", collectedAt });
    const { drafts, rest } = await read({ report: tricky, note: '"report": {"Resources": [1]}' }, true, 3);
    expect(drafts).toEqual(whole.findings);
    expect(rest.meta).toEqual(whole.meta);
  });

  it("a Resources list that is not trivy k8s's is refused for streaming (the job reads it whole)", async () => {
    const v2 = { SchemaVersion: 2, ArtifactName: "x", Resources: [{ Kind: "Pod", Name: "p" }], Results: [] };
    await expect(read(envelope(v2))).rejects.toBeInstanceOf(NotStreamableError);
    const whole = await read(envelope(v2), false);
    expect(whole.rest.meta).toMatchObject({ format: "report-v2" });
  });

  it("a broken document is a PayloadReadError, whether in a resource or around them", async () => {
    const good = gzipSync(Buffer.from(JSON.stringify(envelope(sample))));
    const text = JSON.stringify(envelope(sample));
    const badElement = text.replace('"Kind":', '"Kind" ');
    const badTail = `${text.slice(0, -1)},}`;
    for (const bytes of [good.subarray(0, good.length - 20), gzipSync(badElement), gzipSync(badTail)]) {
      const r = readReport(Readable.from([bytes]), {
        source: "trivy",
        parser: parseTrivy,
        collectedAt,
        stream: true,
        onDrafts: async () => {},
      });
      await expect(r).rejects.toBeInstanceOf(PayloadReadError);
    }
  });
});
