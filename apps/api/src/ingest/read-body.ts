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
  opts: { max?: number; ticket?: IngestTicket; prepaid?: number } = {},
): Promise<WireBody> {
  const max = opts.max ?? MAX_WIRE_BYTES;
  const hash = createHash("sha256");
  if (!body) return { bytes: Buffer.alloc(0), sha256: hash.digest("hex") };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let prepaid = opts.prepaid ?? 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) throw tooLargeOnWire();
      if (total > prepaid && opts.ticket) {
        const more = total - prepaid;
        opts.ticket.reserve(2 * more);
        prepaid = total;
      }
      hash.update(value);
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e;
  }
  // one copy into shared memory: the ingest thread then reads these very bytes (no second copy per upload)
  const bytes = Buffer.from(new SharedArrayBuffer(total));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, sha256: hash.digest("hex") };
}
