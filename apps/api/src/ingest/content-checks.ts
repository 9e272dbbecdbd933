import { ApiError } from "../errors.js";
import { MAX_WIRE_BYTES } from "./limits.js";

export type ContentEncoding = "gzip" | "identity";

const JSON_TYPE = /^application\/json\s*(;.*)?$/i;

/** Content-Type must be application/json; parameters such as charset are allowed. */
export function checkContentType(header: string | undefined): void {
  if (!header || !JSON_TYPE.test(header.trim())) {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type must be application/json (got ${header ?? "none"})`,
    );
  }
}

/** Content-Encoding: absent, identity or gzip (one coding; stacked codings are not accepted). */
export function checkContentEncoding(header: string | undefined): ContentEncoding {
  const value = (header ?? "").trim().toLowerCase();
  if (value === "" || value === "identity") return "identity";
  if (value === "gzip" || value === "x-gzip") return "gzip";
  throw new ApiError("unsupported_media_type", `Content-Encoding must be gzip or absent (got ${header})`);
}

/** A declared Content-Length over the limit is refused before a byte is read. */
export function checkContentLength(header: string | undefined): void {
  if (header === undefined) return;
  if (!/^\d{1,15}$/.test(header.trim())) throw new ApiError("bad_request", "malformed Content-Length");
  if (Number(header) > MAX_WIRE_BYTES) throw tooLargeOnWire();
}

export function tooLargeOnWire(): ApiError {
  return new ApiError("payload_too_large", "request body over 32 MiB");
}
