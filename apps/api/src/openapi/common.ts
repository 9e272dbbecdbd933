import { z } from "@hono/zod-openapi";
import { API_ERRORS, type ApiErrorCode } from "../errors.js";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://bulwark.dev/problems/validation_failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    requestId: z.string(),
    errors: z
      .array(z.object({ location: z.string().openapi({ example: "body.source" }), message: z.string() }))
      .optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details" });

const DESCRIPTIONS: Partial<Record<ApiErrorCode, string>> = {
  bad_request: "Malformed request",
  validation_failed: "A parameter or body field is invalid; `errors` lists each one",
  unauthorized: "Missing, unknown or revoked credentials",
  signature_invalid: "Request signing failed; `detail` names the check",
  forbidden:
    "The token or the member's role lacks what this route needs, or a cookie-authenticated write failed the CSRF check",
  not_found: "No such resource in this tenant (another tenant's ids also answer 404)",
  conflict: "The name is taken",
  payload_too_large: "The body is too large or nested too deep",
  unsupported_media_type: "Content-Type or Content-Encoding not supported",
  rate_limited: "Over the rate limit; see Retry-After",
  internal: "Unexpected error (logged with the request id)",
  unavailable: "A dependency is unavailable; see Retry-After",
  timeout: "The query ran past its time limit and was cancelled; narrow the filters (not retried as is)",
};

type ProblemResponse = {
  description: string;
  content: { "application/problem+json": { schema: typeof ProblemSchema } };
};

/** The error responses of a route, keyed by status, for the OpenAPI document. */
export function problems(...codes: ApiErrorCode[]): Record<number, ProblemResponse> {
  const out: Record<number, ProblemResponse> = {};
  // every route may meet a dependency that is down (503) or a bug (500)
  for (const code of [...codes, "internal" as const, "unavailable" as const]) {
    const status = API_ERRORS[code].status;
    const description = DESCRIPTIONS[code] ?? API_ERRORS[code].title;
    const prior = out[status]?.description;
    out[status] = {
      description: prior && prior !== description ? `${prior}; or: ${description}` : description,
      content: { "application/problem+json": { schema: ProblemSchema } },
    };
  }
  return out;
}

/** The usual errors of a token-authenticated route. */
export const TOKEN_ERRORS: ApiErrorCode[] = ["unauthorized", "forbidden"];

/** The errors of a route behind expensive(): over the tenant's concurrency limit (429), query timeout (504). */
export const EXPENSIVE_ERRORS: ApiErrorCode[] = ["rate_limited", "timeout"];

/** The errors of a route that takes a JSON body (requireJsonBody and the zod body schema). */
export const JSON_BODY_ERRORS: ApiErrorCode[] = [
  "validation_failed",
  "bad_request",
  "payload_too_large",
  "unsupported_media_type",
];

/** A tenant route: an API token, or a signed-in member's session cookie (writes: X-CSRF-Token). */
export const bearerSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

/** The platform operator's routes: ADMIN_TOKEN only. */
export const operatorSecurity: Record<string, string[]>[] = [{ adminToken: [] }];

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

export const IdParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: "path" }, example });
