import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { requireAdmin } from "../../middleware/auth.js";
import { json, operatorSecurity, problems } from "../../openapi/common.js";
import { listTenants, type TenantUsage } from "../../services/tenants/list.js";
import { TenantListQuery, TenantPage, TenantParams, TenantSummary } from "./schema.js";

export function tenantJson(t: TenantUsage) {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    suspended: t.suspendedAt !== null,
    suspendedAt: t.suspendedAt?.toISOString() ?? null,
    suspendedReason: t.suspendedReason,
    usage: t.usage,
  };
}

export const listRoute = createRoute({
  operationId: "listTenants",
  method: "get",
  path: "/admin/v1/tenants",
  tags: ["admin"],
  summary: "Every tenant with its usage, newest first (platform operator only)",
  description:
    "Usage: members, clusters, open findings, reports received in the last 30 days. Keyset-paged by `cursor`.",
  security: operatorSecurity,
  middleware: [requireAdmin] as const,
  request: { query: TenantListQuery },
  responses: { 200: json(TenantPage, "Tenants"), ...problems("validation_failed", "unauthorized") },
});

export const listHandler: RouteHandler<typeof listRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorTimestamp, z.string()])) : null;
  const rows = await listTenants({ ctx: { pool: c.get("deps").pool }, input: { limit: q.limit + 1, after } });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return c.json(
    {
      items: page.map(tenantJson),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.cursorAt, last.id]) : null,
    },
    200,
  );
};

export const getRoute = createRoute({
  operationId: "getTenant",
  method: "get",
  path: "/admin/v1/tenants/{id}",
  tags: ["admin"],
  summary: "One tenant with its usage (platform operator only)",
  security: operatorSecurity,
  middleware: [requireAdmin] as const,
  request: { params: TenantParams },
  responses: { 200: json(TenantSummary, "The tenant"), ...problems("unauthorized", "not_found") },
});

export const getHandler: RouteHandler<typeof getRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const [t] = await listTenants({ ctx: { pool: c.get("deps").pool }, input: { limit: 1, after: null, id } });
  if (!t) throw new ApiError("not_found", `tenant ${id} not found`);
  return c.json(tenantJson(t), 200);
};
