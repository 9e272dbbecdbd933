import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InspectPool } from "../src/ingest/scan/pool.js";
import { warmUp } from "../src/ingest/scan/warm.js";

const limits = { maxDecompressedBytes: 1 << 20, maxDepth: 64, maxEnvelopeBytes: 1 << 16 };

describe("the ingest threads", () => {
  it("warm up on a sample the scanner accepts (so the warm-up exercises the accepting path)", async () => {
    expect(await warmUp()).toBe(true);
  });

  it("started eagerly, inspect uploads, and refuse work once closed", async () => {
    const pool = new InspectPool(2);
    pool.start();
    const body = gzipSync(Buffer.from('{"schemaVersion":1,"source":"trivy","report":{"Results":[]}}'));
    const results = await Promise.all([1, 2, 3].map(() => pool.run({ body, gzip: true, ...limits })));
    for (const r of results) expect(r.ok).toBe(true);
    const bad = await pool.run({ body: Buffer.from('{"report": [}'), gzip: false, ...limits });
    expect(bad).toMatchObject({ ok: false, code: "not_json" });
    await pool.close();
    await expect(pool.run({ body, gzip: true, ...limits })).rejects.toThrow(/closed/);
  });
});
