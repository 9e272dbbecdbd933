import type { z } from "@hono/zod-openapi";
import { ApiError } from "../../errors.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { Cursor } from "../../routes/findings/list.js";
import { ListFindingsQuery } from "../../routes/findings/query.js";
import type { ListFindingsInput } from "../../services/findings/list.js";
import { validationError, zodFieldErrors } from "../../validation.js";

export type FindingsQuery = z.infer<typeof ListFindingsQuery>;

/** Every filter the findings page carries in its URL, in the API's own names (GET /v1/findings). */
export const FILTER_KEYS = [
  "cluster",
  "source",
  "severity",
  "category",
  "strategy",
  "namespace",
  "kind",
  "name",
  "ruleId",
  "q",
  "since",
  "status",
] as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The page's query as the API's list query: empty form fields dropped, severity checkboxes (one parameter per
 * box) joined into the API's comma list, a date-only `since` (from a date input) made midnight UTC; then the
 * API's own strict schema, so the page takes exactly the API's filters.
 */
export function parseFindingsQuery(params: URLSearchParams): FindingsQuery {
  const raw: Record<string, string> = {};
  for (const key of [...FILTER_KEYS, "sort", "limit", "cursor"]) {
    const values = params.getAll(key).filter((v) => v !== "");
    if (values.length > 0) raw[key] = values.join(",");
  }
  if (raw.since && DATE_ONLY.test(raw.since)) raw.since = `${raw.since}T00:00:00Z`;
  if (raw.limit === undefined) raw.limit = "50";
  const parsed = ListFindingsQuery.safeParse(raw);
  if (!parsed.success) throw validationError(zodFieldErrors(parsed.error, "query"));
  return parsed.data;
}

/** The list service's input, the cursor checked against its sort as the API's route does. */
export function listInput(q: FindingsQuery): ListFindingsInput {
  const { cursor, ...rest } = q;
  if (!cursor) return { ...rest };
  const [sort, ...values] = decodeCursor(cursor, Cursor);
  if (sort !== q.sort)
    throw new ApiError("validation_failed", "this page link belongs to another sort order");
  return { ...rest, after: values };
}

export function nextCursor(sort: string, next: (string | number)[] | null): string | null {
  return next ? encodeCursor([sort, ...next]) : null;
}

/** The URL parameters of a query (defaults left out), with changes; undefined removes a key. */
export function queryString(
  q: Partial<FindingsQuery>,
  change: Record<string, string | undefined> = {},
): string {
  const p = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = q[key];
    if (v === undefined || (key === "status" && v === "open")) continue;
    p.set(key, Array.isArray(v) ? v.join(",") : String(v));
  }
  if (q.sort && q.sort !== "severity") p.set("sort", q.sort);
  if (q.limit && q.limit !== 50) p.set("limit", String(q.limit));
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) p.delete(k);
    else p.set(k, v);
  }
  return p.toString();
}
