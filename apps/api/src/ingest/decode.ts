import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { MAX_COLLECTED_AT_SKEW_MS, type ReportEnvelope, reportEnvelopeSchema } from "@bulwark/schema";
import { ApiError } from "../errors.js";
import { validationError, zodFieldErrors } from "../validation.js";
import type { ContentEncoding } from "./content-checks.js";
import { exceedsDepth } from "./depth.js";
import { MAX_DECOMPRESSED_BYTES, MAX_JSON_DEPTH } from "./limits.js";

const gunzipAsync = promisify(gunzip);
const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface DecodedReport {
  envelope: ReportEnvelope;
  /** the body as JSON text bytes (decompressed) */
  json: Buffer;
}

async function decompress(body: Buffer): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new ApiError("payload_too_large", "decompressed body over 256 MiB");
    }
    throw new ApiError("bad_request", `body is not valid gzip (${(e as Error).message})`);
  }
}

function parseJson(json: Buffer): unknown {
  if (exceedsDepth(json, MAX_JSON_DEPTH)) {
    throw new ApiError("payload_too_large", `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let text: string;
  try {
    text = utf8.decode(json);
  } catch {
    throw new ApiError("bad_request", "body is not UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError("bad_request", `body is not JSON (${(e as Error).message})`);
  }
}

/** Decompress (when gzip), bound the depth, parse and validate the envelope (contract §1.2). */
export async function decodeReport(
  body: Buffer,
  encoding: ContentEncoding,
  now = Date.now(),
): Promise<DecodedReport> {
  const json = encoding === "gzip" ? await decompress(body) : body;
  const parsed = reportEnvelopeSchema.safeParse(parseJson(json));
  if (!parsed.success)
    throw validationError(zodFieldErrors(parsed.error, "body"), "the report envelope is invalid");
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
  return { envelope: parsed.data, json };
}
