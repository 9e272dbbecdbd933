import { realDateTime } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";
import type { SuppressionRow } from "../../services/suppressions/row.js";

const MAX_AHEAD_MS = 365 * 24 * 3600 * 1000;
const field = (description: string) => z.string().min(1).max(500).optional().openapi({ description });

const Selector = z
  .object({
    ruleId: field("Rule id"),
    cluster: field("Cluster id or name (stored as the id)"),
    namespace: field("Resource namespace"),
    kind: field("Resource kind"),
    name: field("Resource name"),
    fingerprint: field("Finding fingerprint"),
  })
  .strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), "the selector needs at least one field");

export const CreateSuppressionBody = z
  .object({
    selector: Selector,
    reason: z.string().trim().min(1).max(2000),
    expiresAt: realDateTime().openapi({
      description: "In the future and at most 365 days ahead",
      example: "2026-12-31T00:00:00Z",
    }),
  })
  .strict()
  .superRefine((b, ctx) => {
    const at = Date.parse(b.expiresAt);
    const now = Date.now();
    if (at <= now) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "must be in the future" });
    if (at - now > MAX_AHEAD_MS) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "must be at most 365 days ahead" });
    }
  })
  .openapi("CreateSuppression");

export const SuppressionSchema = z
  .object({
    id: z.string().openapi({ example: "sup_0123456789abcdefghjk" }),
    selector: z.object({
      ruleId: z.string().nullable(),
      cluster: z.string().nullable().openapi({ description: "Cluster id" }),
      namespace: z.string().nullable(),
      kind: z.string().nullable(),
      name: z.string().nullable(),
      fingerprint: z.string().nullable(),
    }),
    reason: z.string(),
    expiresAt: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable().openapi({ description: "Id of the API token that created it" }),
    active: z.boolean().openapi({ description: "false once expired" }),
  })
  .openapi("Suppression");

export const SuppressionList = z
  .object({ items: z.array(SuppressionSchema), nextCursor: z.string().nullable() })
  .openapi("SuppressionList");

export const SuppressionParams = z.object({ id: IdParam("id", "sup_0123456789abcdefghjk") });

export const ListSuppressionsQuery = z.object({
  includeExpired: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ description: "Also list expired suppressions" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(1000).optional().openapi({ description: "nextCursor of the previous page" }),
});

export function suppressionJson(s: SuppressionRow, now = Date.now()): z.infer<typeof SuppressionSchema> {
  return {
    id: s.id,
    selector: {
      ruleId: s.ruleId,
      cluster: s.clusterId,
      namespace: s.namespace,
      kind: s.kind,
      name: s.name,
      fingerprint: s.fingerprint,
    },
    reason: s.reason,
    expiresAt: s.expiresAt.toISOString(),
    createdAt: s.createdAt.toISOString(),
    createdBy: s.createdBy,
    active: s.expiresAt.getTime() > now,
  };
}
