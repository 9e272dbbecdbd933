import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env.js";
import { validationError, zodFieldErrors } from "../../validation.js";

/** A console form's fields (strings only; files and repeated fields are not used by its forms). */
export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string" && k !== "_csrf") out[k] = v;
  return out;
}

/** Checked with the API route's own schema: the same rules, the same field errors (shown as a page). */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, prefix = "body"): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(zodFieldErrors(parsed.error, prefix));
  return parsed.data;
}

/** An optional text field: empty means absent. */
export const opt = (v: string | undefined): string | undefined =>
  v && v.trim() !== "" ? v.trim() : undefined;

/** A date input (YYYY-MM-DD) as the end of that UTC day; anything else is passed on for the schema to refuse. */
export function endOfDay(v: string | undefined): string {
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59Z` : (v ?? "");
}
