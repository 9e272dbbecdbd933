import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  /** every request, with the status it was answered */
  requests: Received[];
  /** answer the next requests with these statuses, in order (then 200) */
  script(...statuses: number[]): void;
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A local HTTP receiver (Slack incoming webhook or a tenant's webhook endpoint). */
export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  let statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = statuses.shift() ?? 200;
      requests.push({
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        status,
      });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "ok" : "upstream trouble");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(...s) {
      statuses = s;
    },
    async waitFor(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > deadline) throw new Error(`receiver: ${requests.length} of ${n} requests`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Block Kit's limits, checked as Slack would: every violation as a readable line. */
export function blockKitViolations(payload: unknown): string[] {
  const out: string[] = [];
  const p = payload as { text?: unknown; blocks?: unknown };
  if (typeof p.text !== "string" || p.text.length === 0) out.push("no fallback text");
  if (!Array.isArray(p.blocks)) return [...out, "no blocks"];
  if (p.blocks.length > 50) out.push(`${p.blocks.length} blocks (max 50)`);
  p.blocks.forEach((b: Record<string, unknown>, i) => {
    const text = b.text as { type?: string; text?: string } | undefined;
    switch (b.type) {
      case "header":
        if (text?.type !== "plain_text") out.push(`block ${i}: header text must be plain_text`);
        if ((text?.text ?? "").length > 150) out.push(`block ${i}: header over 150 characters`);
        break;
      case "section": {
        const fields = b.fields as { text: string }[] | undefined;
        if (!text && !fields) out.push(`block ${i}: section without text or fields`);
        if (text && (text.text ?? "").length > 3000)
          out.push(`block ${i}: section text over 3000 characters`);
        if (text && (text.text ?? "").length === 0) out.push(`block ${i}: empty section text`);
        if (fields && fields.length > 10) out.push(`block ${i}: more than 10 fields`);
        for (const f of fields ?? [])
          if (f.text.length > 2000) out.push(`block ${i}: field over 2000 characters`);
        break;
      }
      case "context": {
        const els = b.elements as { text: string }[];
        if (!Array.isArray(els) || els.length === 0 || els.length > 10)
          out.push(`block ${i}: context needs 1–10 elements`);
        for (const e of els ?? [])
          if (e.text.length > 3000) out.push(`block ${i}: context text over 3000 characters`);
        break;
      }
      case "divider":
        break;
      default:
        out.push(`block ${i}: unexpected type ${String(b.type)}`);
    }
  });
  return out;
}
