import { CATEGORY_IDS, realDateTime, SEVERITIES, SOURCES, STRATEGY_IDS } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { SORT_KEYS } from "../../services/findings/sort.js";

const text = (description: string) => z.string().min(1).max(500).optional().openapi({ description });

const severityList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim().toLowerCase()))
  .pipe(z.array(z.enum(SEVERITIES, { error: `each severity must be one of ${SEVERITIES.join(", ")}` })))
  .optional()
  .openapi({ description: "Comma list, e.g. critical,high", example: "critical,high" });

/** The filters of GET /v1/findings (contract §2.1) except status: also taken by the changes feed. */
export const FindingScopeFilters = {
  cluster: text("Cluster id or name"),
  source: z.enum(SOURCES).optional(),
  severity: severityList,
  category: z.enum(CATEGORY_IDS).optional(),
  strategy: z.enum(STRATEGY_IDS).optional(),
  namespace: text("Resource namespace"),
  kind: text("Resource kind"),
  name: text("Resource name"),
  ruleId: text("Rule id (exact)"),
  q: text("Case-insensitive substring of the title or rule id"),
  since: realDateTime().optional().openapi({ description: "First seen at or after (RFC 3339)" }),
};

/** Every filter of GET /v1/findings, taken by the list, the summary, the groups and the export. */
export const FindingFilterParams = {
  ...FindingScopeFilters,
  status: z
    .enum(["open", "resolved", "suppressed", "all"])
    .default("open")
    .openapi({ description: "open (default) excludes suppressed findings; all returns every status" }),
};

export const LimitParam = (max: number, dflt: number) =>
  z.coerce.number().int().min(1).max(max).default(dflt);

export const CursorParam = z
  .string()
  .max(1000)
  .optional()
  .openapi({ description: "nextCursor of the previous page" });

// strict: a misspelt parameter (`severty=high`) answers 400 instead of silently matching everything
export const ListFindingsQuery = z
  .object({
    ...FindingFilterParams,
    sort: z
      .enum(SORT_KEYS, { error: `sort must be one of ${SORT_KEYS.join(", ")}` })
      .default("severity")
      .openapi({
        description:
          "severity (default: most severe, then most recently seen), lastSeenAt, firstSeenAt or ruleId; a leading - reverses",
      }),
    limit: LimitParam(500, 100),
    cursor: CursorParam,
  })
  .strict();
