import { MAX_COLLECTED_AT_SKEW_MS, type ReportEnvelope, reportEnvelopeSchema } from "@bulwark/schema";
import { ApiError } from "../errors.js";
import { nulFields } from "../lib/hygiene.js";
import { validationError, zodFieldErrors } from "../validation.js";
import type { ContentEncoding } from "./content-checks.js";
import { MAX_DECOMPRESSED_BYTES, MAX_ENVELOPE_FIELDS_BYTES, MAX_JSON_DEPTH } from "./limits.js";
import type { InspectFailure, InspectSuccess } from "./scan/inspect.js";
import type { InspectPool } from "./scan/pool.js";

export interface DecodedReport {
  /** the envelope as validated; `report` is only a placeholder of the right type (never parsed here) */
  envelope: ReportEnvelope;
  /** SHA-256 of the JSON stored (after Secret values are blanked): the duplicate-detection key */
  bodySha256: string;
  /** length of that JSON */
  payloadBytes: number;
  /** gzip bytes to store */
  payload: Buffer;
  secretValuesStripped: number;
}

const FAILURES: Record<InspectFailure["code"], "payload_too_large" | "bad_request"> = {
  too_large: "payload_too_large",
  too_deep: "payload_too_large",
  envelope_too_large: "payload_too_large",
  not_gzip: "bad_request",
  not_utf8: "bad_request",
  not_json: "bad_request",
};

function envelopeOf(result: InspectSuccess): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, text] of Object.entries(result.members)) out[k] = JSON.parse(text);
  // the report is checked for its type only; the worker parses it
  if (result.reportType === "object") out.report = {};
  else if (result.reportType === "array") out.report = [];
  else if (result.reportType === "other") out.report = null;
  return out;
}

/**
 * Decompress (when gzip), bound size and depth, check the JSON, hash, and validate the envelope (contract
 * §1.2) — streaming, in an ingest thread, without building the report. Throws ApiError (400/413).
 */
export async function decodeReport(
  pool: InspectPool,
  body: Buffer,
  encoding: ContentEncoding,
  now = Date.now(),
): Promise<DecodedReport> {
  const result = await pool.run({
    body,
    gzip: encoding === "gzip",
    maxDecompressedBytes: MAX_DECOMPRESSED_BYTES,
    maxDepth: MAX_JSON_DEPTH,
    maxEnvelopeBytes: MAX_ENVELOPE_FIELDS_BYTES,
  });
  if (!result.ok) throw new ApiError(FAILURES[result.code], result.detail);
  const candidate = envelopeOf(result);
  const parsed = reportEnvelopeSchema.safeParse(candidate);
  if (!parsed.success)
    throw validationError(zodFieldErrors(parsed.error, "body"), "the report envelope is invalid");
  // Postgres text and jsonb cannot hold NUL: refused here rather than failing the insert (a 503 retried forever)
  const { report: _report, ...fields } = parsed.data;
  const nul = nulFields(fields, "body");
  if (nul.length > 0) throw validationError(nul, "the report envelope is invalid");
  // a snapshot from the future would outrank every later upload of the same scope (snapshots apply in
  // collectedAt order), so clock skew beyond a few minutes is refused rather than stored
  if (Date.parse(parsed.data.collectedAt) - now > MAX_COLLECTED_AT_SKEW_MS) {
    throw validationError(
      [
        {
          location: "body.collectedAt",
          message: `more than ${MAX_COLLECTED_AT_SKEW_MS / 1000} s in the future`,
        },
      ],
      "collectedAt is in the future",
    );
  }
  return {
    envelope: parsed.data,
    bodySha256: result.bodySha256,
    payloadBytes: result.payloadBytes,
    payload: result.payload
      ? Buffer.from(result.payload.buffer, result.payload.byteOffset, result.payload.length)
      : body,
    secretValuesStripped: result.secretValuesStripped,
  };
}
