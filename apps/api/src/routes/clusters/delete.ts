import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { deleteCluster } from "../../services/clusters/delete.js";
import { ClusterParams } from "./schema.js";

const DeleteQuery = z.object({
  findings: z.enum(["keep", "delete"]).default("keep").openapi({
    description:
      "`keep` (default): the findings (resolved now), their history and the reports stay, readable by the cluster's id. `delete`: everything recorded for the cluster goes, irreversibly.",
  }),
});

const Deleted = z
  .object({
    keysRevoked: z.number().int().openapi({ description: "Signing keys revoked by this call" }),
    findingsResolved: z.number().int().openapi({ description: "Open findings resolved (findings=keep)" }),
    reportsCancelled: z
      .number()
      .int()
      .openapi({ description: "Queued reports that end failed (findings=keep)" }),
    purged: z.boolean().openapi({ description: "true for findings=delete: nothing of the cluster remains" }),
  })
  .openapi("DeletedCluster");

export const route = createRoute({
  method: "delete",
  operationId: "deleteCluster",
  path: "/v1/clusters/{id}",
  tags: ["clusters"],
  summary:
    "Delete a cluster: its keys stop working; its findings are kept (resolved) or deleted (admin scope)",
  description: [
    "Every signing key of the cluster is revoked at once: its collectors' uploads answer 401 from then on.",
    "With `findings=keep` (the default) the cluster leaves `GET /v1/clusters` and its name can be registered again;",
    "its open findings are resolved (a history event records it), reports not yet processed end `failed`, its",
    "latest mesh coverage and compliance evidence are removed; its findings, their history and its reports stay",
    "readable (`GET /v1/findings?cluster=<id>`). With `findings=delete` the cluster and everything recorded for it",
    "are deleted, also for a cluster deleted earlier with `keep`. One transaction either way.",
  ].join("\n"),
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { params: ClusterParams, query: DeleteQuery },
  responses: {
    200: json(Deleted, "Deleted"),
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const result = await deleteCluster({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { clusterId: c.req.valid("param").id, findings: c.req.valid("query").findings },
  });
  c.get("deps").logger.info({ tenantId, clusterId: c.req.valid("param").id, ...result }, "cluster deleted");
  return c.json(result, 200);
};
