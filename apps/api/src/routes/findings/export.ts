import { safeError } from "@bulwark/runtime";
import { type RouteHandler, z } from "@hono/zod-openapi";
import type { SQL } from "drizzle-orm";
import type { AppEnv } from "../../env.js";
import { acquireQuerySlot } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { exportFindings } from "../../services/findings/export.js";
import { SORT_KEYS } from "../../services/findings/sort.js";
import { CSV_LINE, csvHeader } from "./export/csv.js";
import { FINDING_JSON_LINE } from "./export/ndjson.js";
import { SARIF_COLUMNS, type SarifRow, SarifWriter } from "./export/sarif.js";
import { FindingFilterParams } from "./query.js";

const FORMATS = {
  csv: { type: "text/csv; charset=utf-8; header=present", ext: "csv" },
  ndjson: { type: "application/x-ndjson", ext: "ndjson" },
  sarif: { type: "application/sarif+json", ext: "sarif" },
} as const;

export const ExportQuery = z
  .object({
    format: z
      .enum(["csv", "ndjson", "sarif"])
      .openapi({ description: "csv (RFC 4180), ndjson or sarif (2.1.0)" }),
    ...FindingFilterParams,
    sort: z
      .enum(SORT_KEYS)
      .default("severity")
      .openapi({ description: "Row order for csv and ndjson (SARIF is grouped by source, then rule)" }),
  })
  .strict();

export const route = defineRoute({
  operationId: "exportFindings",
  method: "get",
  path: "/v1/findings/export",
  tags: ["findings"],
  summary: "Every finding matching the filters, streamed as CSV, NDJSON or SARIF (read scope)",
  description: [
    "Takes every filter of GET /v1/findings (status defaults to open) and streams all matching findings from a",
    "database cursor, so memory stays flat at any size. CSV: RFC 4180 with a header row and CRLF line ends;",
    "a cell that would start with =, +, -, @, tab or CR gets a leading apostrophe so no spreadsheet runs it.",
    "SARIF 2.1.0: one run per source, rules with help text and the taxonomy (category, strategy, NIST) as",
    "properties, `security-severity` for code-scanning tools, and `partialFingerprints` that stay stable across",
    "scans. A failure after the first bytes ends the stream early: a truncated file is not valid JSON/CSV.",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  request: { query: ExportQuery },
  responses: {
    200: {
      description: "The export (Content-Disposition: attachment)",
      content: {
        "text/csv": { schema: z.string() },
        "application/x-ndjson": { schema: z.string() },
        "application/sarif+json": { schema: z.object({}).passthrough() },
      },
    },
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

interface Encoder {
  /** what each exported row selects (see exportFindings) */
  columns: SQL;
  begin(): string;
  /** a batch's text in pieces (a record or so each), never joined into one string: see packed() */
  // biome-ignore lint/suspicious/noExplicitAny: each encoder reads the rows its own `columns` select
  rows(batch: readonly any[]): string[];
  end(): string;
}

/**
 * Pieces of text joined into chunks of at most PACK characters. A batch joined whole (hundreds of KB) would be
 * allocated in V8's large-object space, which only a full collection frees: at export speed those piled up to
 * 100–170 MiB of garbage. Chunks this size die young and cheaply.
 */
const PACK = 32 * 1024;
function* packed(pieces: readonly string[]): Generator<string> {
  let group: string[] = [];
  let length = 0;
  for (const p of pieces) {
    if (length + p.length > PACK && group.length > 0) {
      yield group.join("");
      group = [];
      length = 0;
    }
    group.push(p);
    length += p.length;
  }
  if (group.length > 0) yield group.join("");
}

function encoderFor(format: keyof typeof FORMATS): Encoder {
  if (format === "sarif") {
    const w = new SarifWriter();
    return {
      columns: SARIF_COLUMNS,
      begin: () => w.begin(),
      rows: (b: readonly SarifRow[]) => w.rows(b),
      end: () => w.end(),
    };
  }
  if (format === "csv") {
    // Postgres writes each record (CSV_LINE); the API only joins a batch's
    return {
      columns: CSV_LINE,
      begin: csvHeader,
      rows: (b: readonly { csv_line: string }[]) => b.map((r) => r.csv_line),
      end: () => "",
    };
  }
  // Postgres writes each Finding's JSON (FINDING_JSON_LINE)
  return {
    columns: FINDING_JSON_LINE,
    begin: () => "",
    rows: (b: readonly { json_line: string }[]) => b.map((r) => `${r.json_line}\n`),
    end: () => "",
  };
}

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { format, sort, ...filters } = c.req.valid("query");
  const { pool, logger, config } = c.get("deps");
  const requestId = c.get("requestId");
  // the tenant's query slot is held until the stream ends, not only while the handler runs
  const release = once(await acquireQuerySlot(c));
  const encoder = encoderFor(format);
  const batches = exportFindings({
    ctx: { pool, tenantId },
    input: {
      ...filters,
      order: format === "sarif" ? "bySource" : sort,
      columns: encoder.columns,
      statementTimeoutMs: config.EXPORT_TIMEOUT_MS,
    },
  });
  let first: IteratorResult<unknown[]>;
  try {
    // the first batch is read before answering, so a failure to start is a proper error response
    first = await batches.next();
  } catch (e) {
    release();
    throw e;
  }
  const text = new TextEncoder();
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(text.encode(encoder.begin()));
          if (!first.done)
            for (const part of packed(encoder.rows(first.value))) controller.enqueue(text.encode(part));
          if (first.done) {
            controller.enqueue(text.encode(encoder.end()));
            controller.close();
            release();
          }
          return;
        }
        const next = await batches.next();
        if (next.done) {
          controller.enqueue(text.encode(encoder.end()));
          controller.close();
          release();
        } else {
          for (const part of packed(encoder.rows(next.value))) controller.enqueue(text.encode(part));
        }
      } catch (e) {
        logger.error({ requestId, err: safeError(e) }, "export failed mid-stream");
        release();
        controller.error(e);
      }
    },
    async cancel() {
      // the client went away: end the transaction and give the connection back
      await batches.return(undefined);
      release();
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "");
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": FORMATS[format].type,
      "content-disposition": `attachment; filename="bulwark-findings-${stamp}.${FORMATS[format].ext}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
};
