import { SEVERITIES } from "@bulwark/schema";
import { type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { getNistReport } from "../../services/compliance/nist.js";
import { nistHtml } from "./nist-html.js";

export const NistQuery = z
  .object({
    cluster: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Cluster id or name; all when absent" }),
    format: z
      .enum(["json", "html"])
      .optional()
      .openapi({ description: "html for a printable page; default from Accept (text/html) else json" }),
  })
  .strict();

const Counts = z.object(
  Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])) as Record<
    (typeof SEVERITIES)[number],
    z.ZodNumber
  >,
);

export const NistReportSchema = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
    generatedAt: z.string(),
    sources: z.array(
      z.object({ source: z.string(), clusters: z.number().int(), lastCollectedAt: z.string() }),
    ),
    mesh: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "Mesh coverage facts (see /v1/mesh-coverage)" }),
    strategies: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        category: z.object({ id: z.string(), name: z.string() }),
        covers: z.string(),
        nist: z.array(z.string()),
        score: z.number().int(),
        checks: z.number().int().openapi({ description: "Checks that have produced a finding in scope" }),
        passing: z.number().int().openapi({ description: "Of those, every finding resolved" }),
        failing: z.number().int().openapi({ description: "An open, unsuppressed finding remains" }),
        accepted: z.number().int().openapi({ description: "Open findings remain, all suppressed" }),
        open: Counts,
        coverage: z
          .object({
            fact: z.string(),
            count: z.number().int(),
            total: z.number().int(),
            share: z.number().nullable(),
          })
          .nullable(),
        evidence: z.array(
          z.object({
            id: z.string(),
            ruleId: z.string(),
            title: z.string(),
            severity: z.enum(SEVERITIES),
            source: z.string(),
            cluster: z.string(),
            resource: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .openapi("Nist800204Report");

export const route = defineRoute({
  operationId: "getNist800204Report",
  method: "get",
  path: "/v1/compliance/nist-800-204",
  tags: ["compliance"],
  summary:
    "The NIST SP 800-204 report: every strategy with its checks, open findings and coverage (read scope)",
  description: [
    "Per strategy of the taxonomy: checks evaluated (a check counts once it has produced a finding in scope),",
    "passing, failing and accepted (suppressed), open counts per severity, the mesh coverage fact that evidences",
    "it, and up to 10 most severe open findings as evidence. `format=html` or `Accept: text/html` answers a",
    "self-contained printable page.",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: NistQuery },
  responses: {
    200: {
      description: "The report",
      content: {
        "application/json": { schema: NistReportSchema },
        "text/html": { schema: z.string() },
      },
    },
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found", ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cluster, format } = c.req.valid("query");
  const report = await getNistReport({ ctx: { pool: c.get("deps").pool, tenantId }, input: { cluster } });
  const html =
    format === "html" || (format === undefined && /\btext\/html\b/.test(c.req.header("accept") ?? ""));
  if (html) {
    return c.html(nistHtml(report), 200, {
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      "cache-control": "no-store",
    });
  }
  return c.json(report, 200);
};
