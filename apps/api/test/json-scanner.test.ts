import { describe, expect, it } from "vitest";
import { JsonScanner, ScanError } from "../src/ingest/scan/json-scanner.js";

/** A deterministic pseudo-random generator, so a failure names its seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function value(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 5 ? 5 : 8));
  switch (k) {
    case 0:
      return Math.floor(r() * 1e6) - 5e5;
    case 1:
      return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    case 2:
      return ["", "a", 'quote " and \\ back', "tab\tnl\n", "é ü 日本 😀", "\u0000\u001f"][
        Math.floor(r() * 6)
      ];
    case 3:
      return [true, false, null][Math.floor(r() * 3)];
    case 4:
      return `s${Math.floor(r() * 1000)}`;
    case 5:
    case 6:
      return Array.from({ length: Math.floor(r() * 5) }, () => value(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 5) }, (_, i) => [
          `k${i}${r() < 0.2 ? "\n" : ""}`,
          value(r, depth + 1),
        ]),
      );
  }
}

/** Feed a body to the scanner in random chunk sizes; the error or the summary. */
function scan(bytes: Buffer, r: () => number) {
  const s = new JsonScanner({ maxDepth: 64, maxEnvelopeBytes: 1 << 20 });
  try {
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + Math.floor(r() * 40);
      s.write(bytes.subarray(i, i + n));
      i += n;
    }
    return s.end();
  } catch (e) {
    if (e instanceof ScanError) return e;
    throw e;
  }
}

describe("the streaming JSON scanner", () => {
  it("accepts exactly what JSON.parse accepts (random documents, random chunking, one-byte mutations)", () => {
    const bytesOf = '{}[]",:-+.0123456789eEtrufalsn \\/bu\n';
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const doc = { schemaVersion: 1, source: "trivy", report: value(r, 0), extra: value(r, 0) };
      const text = Buffer.from(JSON.stringify(doc, null, r() < 0.3 ? 2 : undefined));
      const ok = scan(text, r);
      expect(ok, `seed ${seed}`).not.toBeInstanceOf(ScanError);
      const mutated = Buffer.from(text);
      const at = Math.floor(r() * mutated.length);
      mutated[at] = bytesOf.charCodeAt(Math.floor(r() * bytesOf.length));
      let valid: boolean;
      try {
        const v = JSON.parse(mutated.toString("utf8"));
        valid = typeof v === "object" && v !== null && !Array.isArray(v);
      } catch {
        valid = false;
      }
      const result = scan(mutated, r);
      expect(result instanceof ScanError ? "invalid" : "valid", `seed ${seed}: ${mutated}`).toBe(
        valid ? "valid" : "invalid",
      );
    }
  });

  it("keeps the envelope members as JSON text, the report's type, and the byte count", () => {
    const body = Buffer.from('{"source":"trivy","tool":{"name":"x"},"report":[1,2],"scope":null}');
    const out = scan(body, rng(7));
    if (out instanceof ScanError) throw out;
    expect(Object.fromEntries([...out.members].map(([k, v]) => [k, v.toString()]))).toEqual({
      source: '"trivy"',
      tool: '{"name":"x"}',
      scope: "null",
    });
    expect(out.reportType).toBe("array");
    expect(out.bytes).toBe(body.length);
  });

  it("refuses nesting deeper than the limit, inside the report as well", () => {
    const deep = (n: number) => Buffer.from(`{"report":${"[".repeat(n)}${"]".repeat(n)}}`);
    expect(scan(deep(63), rng(1))).not.toBeInstanceOf(ScanError);
    expect(scan(deep(64), rng(1))).toMatchObject({ kind: "depth" });
  });

  it("bounds the envelope members it keeps", () => {
    const s = new JsonScanner({ maxDepth: 64, maxEnvelopeBytes: 100 });
    expect(() => s.write(Buffer.from(`{"manifest":"${"x".repeat(200)}","report":{}}`))).toThrow(
      /exceed 100 bytes/,
    );
  });
});
