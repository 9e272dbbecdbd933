import { ERROR_CODES, PROBLEM_TYPE_BASE } from "@bulwark/schema";

/** The shared codes plus the one the router itself needs (405 is an HTTP concern, not a domain error). */
export const API_ERRORS = {
  ...ERROR_CODES,
  method_not_allowed: { status: 405, title: "Method not allowed" },
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

export interface FieldError {
  /** where the bad value is: `body.source`, `query.limit`, `path.id`, `header.x-bulwark-nonce` */
  location: string;
  message: string;
}

export interface ApiErrorExtras {
  errors?: FieldError[];
  /** seconds, for 429 and 503 */
  retryAfter?: number;
  headers?: Record<string, string>;
  /** RFC 9457 extension members added to the body */
  members?: Record<string, unknown>;
}

/** The one error type of the API: rendered as RFC 9457 problem+json by onError. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    readonly detail: string,
    readonly extras: ApiErrorExtras = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = API_ERRORS[code].status;
  }
}

export function problemBody(
  code: ApiErrorCode,
  detail: string,
  requestId: string,
  extras: ApiErrorExtras = {},
) {
  const { status, title } = API_ERRORS[code];
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title,
    status,
    detail,
    requestId,
    ...(extras.errors && extras.errors.length > 0 ? { errors: extras.errors } : {}),
    ...extras.members,
  };
}

export function problemResponse(error: ApiError, requestId: string): Response {
  const headers: Record<string, string> = {
    "content-type": "application/problem+json",
    ...error.extras.headers,
  };
  if (error.extras.retryAfter !== undefined) headers["retry-after"] = String(error.extras.retryAfter);
  const body = problemBody(error.code, error.detail, requestId, error.extras);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** The Postgres SQLSTATE of an error, whether raw from pg or wrapped by drizzle (`cause`). */
export function pgCode(e: unknown): string | undefined {
  for (let cur: unknown = e, i = 0; cur && i < 4; i++) {
    if (typeof cur === "object" && cur !== null && "code" in cur && typeof cur.code === "string")
      return cur.code;
    cur = typeof cur === "object" && cur !== null && "cause" in cur ? cur.cause : undefined;
  }
  return undefined;
}
