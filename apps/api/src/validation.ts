import type { Hook } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "./env.js";
import { ApiError, type FieldError } from "./errors.js";
import { nulFields } from "./lib/hygiene.js";

const TARGET_LOCATION: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
};

/** Every zod issue as one `{ location, message }`, e.g. `body.tool.name` or `query.limit`. */
export function zodFieldErrors(error: ZodError, prefix: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)];
    // a strict schema's unknown parameters: name each one where it was sent
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ location: [...at, k].join("."), message: "unknown parameter" }));
    }
    return [{ location: at.join("."), message: issue.message }];
  });
}

export function validationError(errors: FieldError[], detail?: string): ApiError {
  const where = errors.map((e) => e.location).join(", ");
  return new ApiError("validation_failed", detail ?? `invalid request: ${where}`, { errors });
}

/** The OpenAPIHono defaultHook: a failed validation becomes one 400 problem listing each bad field. */
export const defaultHook: Hook<unknown, AppEnv, string, undefined> = (result) => {
  const where = TARGET_LOCATION[result.target] ?? result.target;
  if (!result.success) throw validationError(zodFieldErrors(result.error, where));
  // every validated input, whatever the route: text Postgres cannot hold is refused here, naming the field
  const nul = nulFields(result.data, where);
  if (nul.length > 0) throw validationError(nul);
  return undefined;
};
