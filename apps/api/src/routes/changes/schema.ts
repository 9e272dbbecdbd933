import { z } from "@hono/zod-openapi";
import { cursorTimestamp } from "../../lib/cursor.js";
import { instant } from "../../lib/dates.js";
import { CHANGE_TYPES } from "../../services/changes/list.js";
import { CursorParam, FindingScopeFilters, LimitParam } from "../findings/query.js";
import { FindingSchema } from "../findings/schema.js";

const typeList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim().toLowerCase()))
  .pipe(z.array(z.enum(CHANGE_TYPES, { error: `each type must be one of ${CHANGE_TYPES.join(", ")}` })))
  .optional()
  .openapi({
    description: `Comma list of ${CHANGE_TYPES.join(", ")}; all when absent`,
    example: "new,reopened",
  });

// `since` is the window's start here; the list's own `since` (first seen) does not apply to changes
const { since: _firstSeen, ...scopeFilters } = FindingScopeFilters;

export const ChangesQuery = z
  .object({
    since: instant
      .optional()
      .openapi({ description: "Window start (inclusive, RFC 3339); default 7 days ago" }),
    until: instant.optional().openapi({ description: "Window end (exclusive); default now" }),
    type: typeList,
    ...scopeFilters,
    limit: LimitParam(500, 100),
    cursor: CursorParam,
  })
  .strict();

export const ChangeCursor = z.tuple([cursorTimestamp, z.number().int().min(1)]);

export const ChangeSchema = z
  .object({
    type: z.enum(CHANGE_TYPES),
    at: z.string(),
    reportId: z
      .string()
      .nullable()
      .openapi({ description: "The snapshot that caused a new/resolved/reopened change" }),
    suppressionId: z.string().nullable().openapi({
      description: "The suppression created or deleted; null for an expiry or a snapshot change",
    }),
    finding: FindingSchema,
  })
  .openapi("Change");

export const ChangeList = z
  .object({ items: z.array(ChangeSchema), nextCursor: z.string().nullable() })
  .openapi("ChangeList");
