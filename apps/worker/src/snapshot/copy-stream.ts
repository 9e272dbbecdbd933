import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PoolClient } from "@bulwark/runtime";
import { from as copyFrom } from "pg-copy-streams";

/** Stream text-format rows into `COPY <table> (<columns>) FROM STDIN` on this client (inside its transaction). */
export async function copyInto(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  chunks: Iterable<string>,
): Promise<void> {
  const cols = columns.map((c) => `"${c}"`).join(", ");
  const sink = client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN`));
  await pipeline(Readable.from(chunks), sink);
}
