import { createHash } from "node:crypto";
import type { IngestTicket } from "../fairness/ingest-budget.js";
import { tooLargeOnWire } from "./content-checks.js";
import { MAX_WIRE_BYTES } from "./limits.js";

export interface WireBody {
  bytes: Buffer;
  /** lowercase hex SHA-256 of the bytes as sent (the signed body hash) */
  sha256: string;
}

/**
 * Read the request body, counting and hashing bytes as they arrive: a body without Content-Length (chunked)
 * is cut off as soon as it passes the limit instead of being buffered whole, and each chunk beyond the size
 * the ticket already holds is charged to the upload budget as it comes.
 */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array> | null,
  opts: { max?: number; ticket?: IngestTicket; prepaid?: number; expected?: number } = {},
): Promise<WireBody> {
  const max = opts.max ?? MAX_WIRE_BYTES;
  const hash = createHash("sha256");
  if (!body) return { bytes: Buffer.alloc(0), sha256: hash.digest("hex") };
  const reader = body.getReader();
  // With a declared length (checked against the limit before this), each chunk goes straight into the shared
  // memory the ingest thread reads, and is garbage at once: holding every chunk until the end doubled the
  // external memory per upload, and the full collections V8 runs for it paused the event loop (BENCHMARKS.md).
  // Without one (chunked), the chunks are kept and copied once at the end.
  const expected = opts.expected !== undefined && opts.expected <= max ? opts.expected : undefined;
  const direct = expected !== undefined ? Buffer.from(new SharedArrayBuffer(expected)) : null;
  const chunks: Uint8Array[] = [];
  let written = 0; // bytes in `direct` (a body longer than declared continues in `chunks`)
  let total = 0;
  let prepaid = opts.prepaid ?? 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const next = total + value.byteLength;
      if (next > max) throw tooLargeOnWire();
      if (next > prepaid && opts.ticket) {
        opts.ticket.reserve(2 * (next - prepaid));
        prepaid = next;
      }
      hash.update(value);
      if (direct && chunks.length === 0 && written + value.byteLength <= direct.length) {
        direct.set(value, written);
        written += value.byteLength;
      } else chunks.push(value);
      total = next;
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e;
  }
  if (direct && chunks.length === 0)
    return { bytes: direct.subarray(0, written), sha256: hash.digest("hex") };
  // one copy into shared memory: the ingest thread then reads these very bytes (no second copy per upload)
  const bytes = Buffer.from(new SharedArrayBuffer(total));
  if (direct) bytes.set(direct.subarray(0, written), 0);
  let at = written;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, sha256: hash.digest("hex") };
}
