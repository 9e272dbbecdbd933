import { REPORT_STATUSES, reportEnvelopeSchema } from "@bulwark/schema";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { ingestReport } from "../../ingest/pipeline.js";
import { json, problems } from "../../openapi/common.js";

const header = (description: string, example: string, required = true) =>
  (required ? z.string() : z.string().optional()).openapi({ description, example });

const Accepted = z
  .object({
    reportId: z.string().openapi({ example: "rpt_0123456789abcdefghjk" }),
    status: z.enum(REPORT_STATUSES),
    duplicate: z.boolean(),
  })
  .openapi("IngestResult");

/**
 * Documented here and registered with registerPath: the handler reads the raw body itself (the signature
 * covers the bytes as sent, before any decompression or parsing), so no body validator may run first.
 */
export const route = createRoute({
  method: "post",
  operationId: "uploadReport",
  path: "/v1/reports",
  tags: ["ingestion"],
  security: [{ signedUpload: [] }],
  summary: "Upload one scanner report for one cluster (signed with the cluster's key)",
  description: [
    "Signed with HMAC-SHA256 (see the document's description). The cluster is the one owning the key.",
    "Order of checks: media type (415), size on the wire (413), signing headers, key and clock (401), admission",
    "(429 when this tenant already has INGEST_TENANT_CONCURRENCY uploads in flight, 503 when the server's uploads",
    "or upload memory are in use; both with Retry-After, before the body is read), the body's HMAC and nonce",
    "(401), rate limits (429), then in one streaming pass off the event loop: decompression (413 over 256 MiB),",
    "nesting depth (413 over 64), JSON and envelope (400, NUL characters and impossible dates included), and",
    "storage (503 when the database cannot take it; nothing is stored). The report itself is not parsed here: a",
    "report its source's parser cannot read ends `failed` at GET /v1/reports/{id}.",
    "",
    "**Secret values:** in a `mesh-config` upload every Secret's `data` / `stringData` value and last-applied",
    "annotation is blanked before storage; duplicates are detected on the stored (blanked) body.",
    "",
    "A tenant suspended by the platform operator gets 403 naming the reason (after the signature check).",
    "",
    "**Durability:** once the report row is committed the answer is 202, even when the job queue (Redis) cannot",
    "take the job at that moment: the row is the source of truth and the worker's maintenance sweep enqueues",
    "reports left `queued`. 503 therefore means the database could not store the report.",
    "",
    "`collectedAt` more than 5 minutes in the future is refused (400): snapshots are applied in `collectedAt`",
    "order, so a future snapshot would make every later upload of the same scope look stale.",
  ].join("\n"),
  request: {
    headers: z.object({
      "X-Bulwark-Key": header("Key id issued with the cluster's signing key", "key_0123456789abcdefghjk"),
      "X-Bulwark-Timestamp": header("Unix seconds when signed (±300 s)", "1795432800"),
      "X-Bulwark-Nonce": header("16-64 of [A-Za-z0-9_-], unique per request", "b3J0aGlzaXNhbm9uY2U"),
      "X-Bulwark-Signature": header("v1=<lowercase hex HMAC-SHA256>", "v1=…"),
      "Content-Encoding": header("Optional: gzip", "gzip", false),
    }),
    body: { required: true, content: { "application/json": { schema: reportEnvelopeSchema } } },
  },
  responses: {
    202: {
      ...json(Accepted, "Accepted and queued"),
      headers: { Location: { schema: { type: "string" }, description: "/v1/reports/{reportId}" } },
    },
    200: json(Accepted, "The same body was already accepted for this cluster and source (`duplicate: true`)"),
    ...problems(
      "bad_request",
      "validation_failed",
      "signature_invalid",
      "forbidden",
      "payload_too_large",
      "unsupported_media_type",
      "rate_limited",
      "unavailable",
    ),
  },
});

export async function handler(c: Context<AppEnv>): Promise<Response> {
  const metrics = c.get("metrics");
  let source = "unknown";
  try {
    const result = await ingestReport(
      c.get("deps"),
      c.get("ingest"),
      { method: c.req.method, url: c.req.url, header: (name) => c.req.header(name), body: c.req.raw.body },
      { tenant: (tenantId) => c.set("tenantId", tenantId), source: (s) => (source = s) },
    );
    metrics.reportsIngested.inc({ source, outcome: result.duplicate ? "duplicate" : "accepted" });
    if (result.duplicate) return c.json(result, 200);
    return c.json(result, 202, { Location: `/v1/reports/${result.reportId}` });
  } catch (e) {
    metrics.reportsIngested.inc({ source, outcome: e instanceof ApiError ? e.code : "internal" });
    throw e;
  }
}
