import type { FindingRow } from "@bulwark/insights";
import { CATEGORY_IDS, FINDING_STATUSES, SEVERITIES, SOURCES, STRATEGY_IDS } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";
import type { FindingEventRow } from "../../services/findings/get.js";

export const FindingSchema = z
  .object({
    id: z.string().openapi({ example: "fnd_0123456789abcdefghjk" }),
    fingerprint: z.string(),
    cluster: z.object({ id: z.string(), name: z.string() }),
    source: z.enum(SOURCES),
    ruleId: z.string(),
    title: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(FINDING_STATUSES),
    resource: z.object({
      kind: z.string().nullable(),
      namespace: z.string().nullable(),
      name: z.string().nullable(),
      container: z.string().nullable(),
      image: z.string().nullable(),
    }),
    taxonomy: z.object({
      category: z.enum(CATEGORY_IDS),
      strategy: z.enum(STRATEGY_IDS),
      nist: z.array(z.string()),
      mapped: z
        .boolean()
        .openapi({ description: "false when placed by the tool's own category (no mapping entry)" }),
    }),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    resolvedAt: z.string().nullable(),
    remediation: z.string().nullable(),
    references: z.array(z.string()),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi("Finding");

export const FindingEventSchema = z
  .object({
    fromStatus: z.string().nullable(),
    toStatus: z.string(),
    at: z.string(),
    reportId: z.string().nullable(),
  })
  .openapi("FindingEvent");

export const FindingWithHistory = FindingSchema.extend({ history: z.array(FindingEventSchema) }).openapi(
  "FindingWithHistory",
);

export const FindingList = z
  .object({ items: z.array(FindingSchema), nextCursor: z.string().nullable() })
  .openapi("FindingList");

export const FindingParams = z.object({ id: IdParam("id", "fnd_0123456789abcdefghjk") });

type Finding = z.infer<typeof FindingSchema>;

export function findingJson(f: FindingRow): Finding {
  return {
    id: f.id,
    fingerprint: f.fingerprint,
    cluster: { id: f.cluster_id, name: f.cluster_name },
    source: f.source as Finding["source"],
    ruleId: f.rule_id,
    title: f.title,
    severity: f.severity as Finding["severity"],
    status: f.status as Finding["status"],
    resource: {
      kind: f.resource_kind,
      namespace: f.resource_namespace,
      name: f.resource_name,
      container: f.resource_container,
      image: f.resource_image,
    },
    taxonomy: {
      category: f.category as Finding["taxonomy"]["category"],
      strategy: f.strategy as Finding["taxonomy"]["strategy"],
      nist: f.nist,
      mapped: f.mapped,
    },
    firstSeenAt: f.first_seen_at.toISOString(),
    lastSeenAt: f.last_seen_at.toISOString(),
    resolvedAt: f.resolved_at?.toISOString() ?? null,
    remediation: f.remediation,
    references: f.references,
    details: f.details,
  };
}

export function eventJson(e: FindingEventRow): z.infer<typeof FindingEventSchema> {
  return { fromStatus: e.from_status, toStatus: e.to_status, at: e.at.toISOString(), reportId: e.report_id };
}
