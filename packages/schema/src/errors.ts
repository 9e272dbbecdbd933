/** Error codes rendered as the `type` of problem+json responses (https://bulwark.dev/problems/<code>). */
export const ERROR_CODES = {
  bad_request: { status: 400, title: "Bad request" },
  validation_failed: { status: 400, title: "Validation failed" },
  unauthorized: { status: 401, title: "Unauthorized" },
  signature_invalid: { status: 401, title: "Signature verification failed" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal server error" },
  unavailable: { status: 503, title: "Service unavailable" },
  /** a statement ran past its statement_timeout: the query is too expensive as asked, not a transient fault */
  timeout: { status: 504, title: "Query timed out" },
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export const PROBLEM_TYPE_BASE = "https://bulwark.dev/problems/";
