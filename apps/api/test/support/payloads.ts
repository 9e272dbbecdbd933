import { createGzip } from "node:zlib";

/** gzip of `total` bytes of `fill`, streamed so the plain bytes never exist in memory at once. */
export async function gzipOfRepeated(total: number, fill = 0x20): Promise<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, fill);
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on("data", (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    gz.on("end", resolve);
    gz.on("error", reject);
  });
  for (let written = 0; written < total; written += chunk.length) {
    const part = Math.min(chunk.length, total - written);
    if (!gz.write(part === chunk.length ? chunk : chunk.subarray(0, part))) {
      await new Promise((resolve) => gz.once("drain", resolve));
    }
  }
  gz.end();
  await done;
  return Buffer.concat(out);
}

/** An envelope whose whole document nests exactly `depth` levels (the envelope object is level 1). */
export function nestedEnvelope(
  depth: number,
  collectedAt = new Date(Date.now() - 60_000).toISOString(),
): Buffer {
  const inner = "[".repeat(depth - 1) + "]".repeat(depth - 1);
  return Buffer.from(`{"schemaVersion":1,"source":"trivy","collectedAt":"${collectedAt}","report":${inner}}`);
}

/** A body stream of `total` bytes in 1 MiB chunks, sent without Content-Length. */
export function byteStream(total: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const part = Math.min(chunk.length, total - sent);
      controller.enqueue(part === chunk.length ? chunk : chunk.subarray(0, part));
      sent += part;
    },
  });
}
