import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";

const Share = z
  .object({
    count: z.number().int(),
    total: z.number().int(),
    share: z
      .number()
      .nullable()
      .openapi({ description: "count / total (0–1, 4 decimals); null when total is 0" }),
  })
  .openapi("MeshShare");

export const MeshFactsSchema = z
  .object({
    version: z.literal(1),
    meshPresent: z.boolean().openapi({ description: "false when the List held no Istio object at all" }),
    workloads: z
      .number()
      .int()
      .openapi({ description: "application workloads (by owner; system namespaces and gateways excluded)" }),
    namespaces: z.number().int(),
    mtlsStrict: Share.openapi({
      description: "effective PeerAuthentication STRICT on every port, with a proxy",
    }),
    authorized: Share.extend({
      withAllowPolicy: z.number().int(),
      underDefaultDeny: z.number().int(),
    }).openapi({
      description: "≥1 enforced ALLOW policy or under an allow-nothing / deny-all policy, with a proxy",
    }),
    meshed: Share.extend({ sidecar: z.number().int(), ambient: z.number().int() }).openapi({
      description: "a sidecar proxy or ambient enrollment",
    }),
    endUserAuth: Share.openapi({
      description:
        "of the workloads a RequestAuthentication selects, those where an enforced policy requires a token",
    }),
  })
  .openapi("MeshCoverageFacts");

export type MeshFacts = z.infer<typeof MeshFactsSchema>;

export const MeshCoverageSchema = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }),
    reportId: z.string().nullable().openapi({ description: "the mesh-config report the facts come from" }),
    collectedAt: z.string().nullable(),
    facts: MeshFactsSchema.nullable().openapi({
      description: "null until a mesh-config report is processed",
    }),
  })
  .openapi("MeshCoverage");

export const MeshCoverageList = z
  .object({
    items: z.array(MeshCoverageSchema),
    total: z
      .object({
        clusters: z.number().int(),
        workloads: z.number().int(),
        mtlsStrict: Share,
        authorized: Share,
        meshed: Share,
        endUserAuth: Share,
      })
      .openapi({
        description: "the tenant's totals over every cluster with facts (counts summed, shares recomputed)",
      }),
  })
  .openapi("MeshCoverageList");

export const MeshClusterParams = z.object({ id: IdParam("id", "cls_0123456789abcdefghjk") });
