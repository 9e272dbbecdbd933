import { tooLargeOnWire } from "./content-checks.js";
import { MAX_WIRE_BYTES } from "./limits.js";

/**
 * Read the request body, counting bytes as they arrive: a body without Content-Length (chunked) is cut off
 * as soon as it passes the limit instead of being buffered whole.
 */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array> | null,
  max = MAX_WIRE_BYTES,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLargeOnWire();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
