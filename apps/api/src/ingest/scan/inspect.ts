import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { constants, createGunzip, createGzip, type ZlibOptions } from "node:zlib";
import { JsonScanner, ScanError, type ScanSummary } from "./json-scanner.js";

/**
 * Everything the API checks in an upload's body, in one streaming pass (and a second one only to blank Secret
 * values): decompress, count, check UTF-8, hash, scan the JSON. Runs in an ingest thread (scan/thread.ts), so
 * the API's event loop never spends CPU on a body; memory is the input plus chunk-sized buffers.
 */
export interface InspectInput {
  body: Uint8Array;
  gzip: boolean;
  maxDecompressedBytes: number;
  maxDepth: number;
  maxEnvelopeBytes: number;
}

export type InspectFailure = {
  ok: false;
  /** which limit or rule: 413 for size/depth, 400 for the rest */
  code: "too_large" | "too_deep" | "not_gzip" | "not_utf8" | "not_json" | "envelope_too_large";
  detail: string;
};

export interface InspectSuccess {
  ok: true;
  /** raw JSON text of each envelope member but `report` */
  members: Record<string, string>;
  reportType: ScanSummary["reportType"];
  /** SHA-256 (hex) of the JSON that is stored: the duplicate-detection key */
  bodySha256: string;
  /** length of that JSON */
  payloadBytes: number;
  /**
   * gzip bytes to store when they differ from the upload's (an identity body, or Secret values blanked);
   * absent: store the gzip body as it came
   */
  payload?: Uint8Array;
  /** Secret values (and last-applied annotations) blanked before storage */
  secretValuesStripped: number;
}

export type InspectResult = InspectSuccess | InspectFailure;

const CHUNK = 256 * 1024;

class Limit extends Error {}

/** The decompressed body, chunk by chunk, bounded. */
async function* decompressed(input: InspectInput): AsyncGenerator<Uint8Array> {
  if (!input.gzip) {
    for (let i = 0; i < input.body.length; i += CHUNK) yield input.body.subarray(i, i + CHUNK);
    return;
  }
  // a deep read-ahead lets zlib (on the libuv pool) inflate the next chunks while this thread scans
  const gunzip = createGunzip({ chunkSize: CHUNK, readableHighWaterMark: 16 * CHUNK } as ZlibOptions);
  const feed = (async () => {
    for (let i = 0; i < input.body.length; i += CHUNK) {
      if (!gunzip.write(input.body.subarray(i, i + CHUNK)))
        await new Promise<void>((r) => gunzip.once("drain", () => r()));
    }
    gunzip.end();
  })();
  feed.catch(() => {});
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > input.maxDecompressedBytes) throw new Limit();
      yield chunk;
    }
  } finally {
    gunzip.destroy();
  }
}

/** gzip for storage, level 1: cheap, and the worker reads it once. */
function gzipSink() {
  const gz = createGzip({ level: constants.Z_BEST_SPEED, chunkSize: CHUNK });
  const parts: Buffer[] = [];
  gz.on("data", (d: Buffer) => parts.push(d));
  const done = new Promise<Buffer>((resolve, reject) => {
    gz.on("end", () => resolve(Buffer.concat(parts)));
    gz.on("error", reject);
  });
  return {
    async write(chunk: Uint8Array) {
      if (!gz.write(chunk)) await new Promise<void>((r) => gz.once("drain", () => r()));
    },
    async end(): Promise<Buffer> {
      gz.end();
      return done;
    },
  };
}

function fail(code: InspectFailure["code"], detail: string): InspectFailure {
  return { ok: false, code, detail };
}

/** Pass 1: validate and summarise; keeps a gzip of identity bodies for storage. */
async function firstPass(input: InspectInput) {
  const hash = createHash("sha256");
  const scanner = new JsonScanner({ maxDepth: input.maxDepth, maxEnvelopeBytes: input.maxEnvelopeBytes });
  const store = input.gzip ? null : gzipSink();
  let carry: Buffer | null = null; // an incomplete UTF-8 sequence at a chunk's end
  for await (const chunk of decompressed(input)) {
    hash.update(chunk);
    // UTF-8 checked per chunk; a multi-byte character cut by the chunk boundary is carried over
    let view: Buffer = carry
      ? Buffer.concat([carry, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    carry = null;
    let cut = view.length;
    for (let back = 1; back <= 3 && back <= view.length; back++) {
      const b = view[view.length - back] as number;
      if ((b & 0xc0) === 0x80) continue; // continuation byte
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > back) cut = view.length - back;
      break;
    }
    if (cut < view.length) {
      carry = Buffer.from(view.subarray(cut));
      view = view.subarray(0, cut);
    }
    if (!isUtf8(view)) throw new ScanErrorUtf8();
    scanner.write(chunk);
    if (store) await store.write(chunk);
  }
  if (carry) throw new ScanErrorUtf8();
  const summary = scanner.end();
  return { summary, sha256: hash.digest("hex"), stored: store ? await store.end() : undefined };
}

class ScanErrorUtf8 extends Error {}

/** Pass 2: the same stream with the given ranges replaced by `""`, hashed and gzipped. */
async function rewrite(input: InspectInput, ranges: number[]) {
  const hash = createHash("sha256");
  const store = gzipSink();
  const QUOTES = Buffer.from('""');
  let offset = 0;
  let r = 0;
  let length = 0;
  const emit = async (b: Uint8Array) => {
    if (b.length === 0) return;
    hash.update(b);
    length += b.length;
    await store.write(b);
  };
  for await (const chunk of decompressed(input)) {
    const end = offset + chunk.length;
    let pos = offset;
    while (pos < end) {
      const start = ranges[r];
      const stop = ranges[r + 1];
      if (start === undefined || stop === undefined || start >= end) {
        await emit(chunk.subarray(pos - offset));
        pos = end;
        break;
      }
      if (pos < start) {
        await emit(chunk.subarray(pos - offset, start - offset));
        pos = start;
      }
      // inside a range: drop its bytes; `""` goes out where it began
      if (pos === start) await emit(QUOTES);
      const skipTo = Math.min(stop, end);
      pos = skipTo;
      if (skipTo === stop) r += 2;
    }
    offset = end;
  }
  return { sha256: hash.digest("hex"), bytes: length, stored: await store.end() };
}

function sourceOf(members: Map<string, Buffer>): unknown {
  const raw = members.get("source");
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

export async function inspectBody(input: InspectInput): Promise<InspectResult> {
  let first: Awaited<ReturnType<typeof firstPass>>;
  try {
    first = await firstPass(input);
  } catch (e) {
    if (e instanceof Limit)
      return fail("too_large", `decompressed body over ${input.maxDecompressedBytes / (1024 * 1024)} MiB`);
    if (e instanceof ScanErrorUtf8) return fail("not_utf8", "body is not UTF-8");
    if (e instanceof ScanError) {
      if (e.kind === "depth") return fail("too_deep", e.message);
      if (e.kind === "envelope") return fail("envelope_too_large", e.message);
      return fail("not_json", `body is not JSON (${e.message})`);
    }
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("Z_") || /incorrect header|invalid|unexpected end/i.test((e as Error).message))
      return fail("not_gzip", `body is not valid gzip (${(e as Error).message})`);
    throw e;
  }
  const { summary } = first;
  const members: Record<string, string> = {};
  for (const [k, v] of summary.members) members[k] = v.toString("utf8");
  const base = { ok: true as const, members, reportType: summary.reportType };
  // Secret values never reach storage for mesh-config, whoever built the upload (the collector already
  // sends key names with empty values; a hand-made List may not)
  if (sourceOf(summary.members) === "mesh-config" && summary.secretRanges.length > 0) {
    const ranges = [...summary.secretRanges];
    const pairs: [number, number][] = [];
    for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i] as number, ranges[i + 1] as number]);
    pairs.sort((a, b) => a[0] - b[0]);
    // nested ranges (a last-applied annotation inside data) collapse into the outer one
    const merged: number[] = [];
    for (const [s, e] of pairs) {
      const last = merged.length - 1;
      if (last > 0 && s < (merged[last] as number)) merged[last] = Math.max(merged[last] as number, e);
      else merged.push(s, e);
    }
    const out = await rewrite(input, merged);
    return {
      ...base,
      bodySha256: out.sha256,
      payloadBytes: out.bytes,
      payload: out.stored,
      secretValuesStripped: merged.length / 2,
    };
  }
  return {
    ...base,
    bodySha256: first.sha256,
    payloadBytes: summary.bytes,
    ...(first.stored ? { payload: first.stored } : {}),
    secretValuesStripped: 0,
  };
}
