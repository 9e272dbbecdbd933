import { SEVERITIES, SOURCES } from "@bulwark/schema";
import { type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { groupFindings } from "../../services/findings/groups.js";
import { CursorParam, FindingFilterParams, LimitParam } from "./query.js";

export const GroupsQuery = z
  .object({
    by: z.enum(["rule", "image"]).default("rule").openapi({
      description: "rule: one row per check or vulnerability; image: per vulnerability and image repository",
    }),
    ...FindingFilterParams,
    limit: LimitParam(500, 100),
    cursor: CursorParam,
  })
  .strict();

const Cursor = z.tuple([
  z.number().int().min(0).max(4),
  z.number().int().min(0),
  z.string().max(500),
  z.string().max(2000),
]);

export const GroupList = z
  .object({
    items: z.array(
      z.object({
        ruleId: z.string(),
        image: z
          .string()
          .nullable()
          .optional()
          .openapi({ description: "The image repository, tag and digest dropped (by=image)" }),
        severity: z
          .enum(SEVERITIES)
          .openapi({ description: "The worst severity among the group's findings" }),
        title: z.string(),
        source: z.enum(SOURCES),
        findings: z.number().int(),
        workloads: z.number().int().openapi({ description: "Distinct (cluster, namespace, kind, name)" }),
        namespaces: z.number().int().openapi({ description: "Distinct (cluster, namespace)" }),
        clusters: z.number().int(),
        firstSeenAt: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi("FindingGroupList");

export const route = defineRoute({
  operationId: "listFindingGroups",
  method: "get",
  path: "/v1/findings/groups",
  tags: ["findings"],
  summary: "One row per vulnerability or check, with the workloads it affects (read scope)",
  description: [
    '"CVE-X in image Y affects 112 workloads in 7 clusters" instead of 112 rows. Takes every filter of',
    "GET /v1/findings (status defaults to open). Ordered by worst severity, then most workloads; keyset paging.",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: GroupsQuery },
  responses: {
    200: json(GroupList, "A page of groups"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cursor, ...query } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
  const page = await groupFindings({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { ...query, ...(after ? { after } : {}) },
  });
  return c.json(
    {
      items: page.items.map((g) => ({
        ...g,
        source: g.source as (typeof SOURCES)[number],
        severity: g.severity as (typeof SEVERITIES)[number],
      })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    },
    200,
  );
};
