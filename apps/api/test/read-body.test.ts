import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readBodyLimited } from "../src/ingest/read-body.js";

function streamOf(chunks: Buffer[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const c = chunks[i++];
      if (c) controller.enqueue(new Uint8Array(c));
      else controller.close();
    },
  });
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("reading an upload's body", () => {
  const body = randomBytes(300_000);
  const chunks = [body.subarray(0, 65_536), body.subarray(65_536, 70_000), body.subarray(70_000)];

  it.each([
    ["declared exactly (straight into shared memory)", body.length],
    ["chunked (no length)", undefined],
    ["declared longer than what came (a short body)", body.length + 1000],
    ["declared shorter than what came", 100_000],
  ])("%s: the same bytes and hash, in shared memory", async (_label, expected) => {
    const read = await readBodyLimited(streamOf(chunks), expected === undefined ? {} : { expected });
    expect(Buffer.compare(read.bytes, body)).toBe(0);
    expect(read.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(read.sha256).toBe(sha(body));
  });

  it("stops at the limit, declared or not", async () => {
    await expect(readBodyLimited(streamOf(chunks), { max: 100_000 })).rejects.toThrow();
    await expect(readBodyLimited(streamOf(chunks), { max: 100_000, expected: 50_000 })).rejects.toThrow();
  });
});
