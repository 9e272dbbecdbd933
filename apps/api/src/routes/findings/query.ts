import { CATEGORY_IDS, realDateTime, SEVERITIES, SOURCES, STRATEGY_IDS } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";

const text = (description: string) => z.string().min(1).max(500).optional().openapi({ description });

const severityList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim().toLowerCase()))
  .pipe(z.array(z.enum(SEVERITIES, { error: `each severity must be one of ${SEVERITIES.join(", ")}` })))
  .optional()
  .openapi({ description: "Comma list, e.g. critical,high", example: "critical,high" });

export const ListFindingsQuery = z.object({
  cluster: text("Cluster id or name"),
  source: z.enum(SOURCES).optional(),
  severity: severityList,
  category: z.enum(CATEGORY_IDS).optional(),
  strategy: z.enum(STRATEGY_IDS).optional(),
  status: z
    .enum(["open", "resolved", "suppressed", "all"])
    .default("open")
    .openapi({ description: "open (default) excludes suppressed findings; all returns every status" }),
  namespace: text("Resource namespace"),
  kind: text("Resource kind"),
  name: text("Resource name"),
  ruleId: text("Rule id (exact)"),
  q: text("Case-insensitive substring of the title or rule id"),
  since: realDateTime().optional().openapi({ description: "First seen at or after (RFC 3339)" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(1000).optional().openapi({ description: "nextCursor of the previous page" }),
});
