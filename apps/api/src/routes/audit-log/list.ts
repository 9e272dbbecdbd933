import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listAudit } from "../../services/audit/list.js";

const q = (name: string, description: string, example?: string) =>
  z
    .string()
    .min(1)
    .max(300)
    .optional()
    .openapi({ param: { name, in: "query" }, description, example });

const when = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ param: { name, in: "query" }, description });

const Query = z.object({
  actor: q("actor", "Actor id: a user (usr_…) or token (tok_…)"),
  action: q("action", "Exactly, e.g. `POST /v1/suppressions`, `DELETE /v1/tokens/{id}`, `auth.sign_in`"),
  target: q("target", "The target's id, e.g. tok_…, or an e-mail for sign-ins"),
  since: when("since", "At or after"),
  until: when("until", "At or before"),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .openapi({ param: { name: "limit", in: "query" } }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
});

const Entry = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({
      type: z.enum(["user", "token", "operator", "anonymous"]),
      id: z.string().nullable(),
      label: z.string().nullable().openapi({ description: "E-mail or token name at the time" }),
    }),
    action: z.string(),
    target: z.string().nullable(),
    outcome: z.enum(["success", "failure", "denied"]),
    status: z.number().int().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditEntry");

export const route = createRoute({
  operationId: "listAuditLog",
  method: "get",
  path: "/v1/audit-log",
  tags: ["audit"],
  summary: "The tenant's audit log, newest first (admin scope)",
  description: [
    "Every write on the tenant API (any method but GET, by a token or a signed-in member, refused ones included:",
    "outcome `denied`) and every sign-in, failed or not (`auth.sign_in`). Append-only: the application's database",
    "role can insert and read it, never change or delete it; entries older than AUDIT_RETENTION_DAYS are removed.",
  ].join("\n"),
  security: bearerSecurity,
  middleware: [requireScope("admin"), expensive()] as const,
  request: { query: Query },
  responses: {
    200: json(
      z.object({ items: z.array(Entry), nextCursor: z.string().nullable() }).openapi("AuditLog"),
      "Entries",
    ),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const input = c.req.valid("query");
  const before = input.cursor ? decodeCursor(input.cursor, z.tuple([z.number().int()]))[0] : undefined;
  const rows = await listAudit({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: {
      actor: input.actor,
      action: input.action,
      target: input.target,
      since: input.since ? new Date(input.since) : undefined,
      until: input.until ? new Date(input.until) : undefined,
      before,
      limit: input.limit + 1,
    },
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return c.json(
    {
      items: page.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actor: { type: r.actorType as "user", id: r.actorId, label: r.actorLabel },
        action: r.action,
        target: r.target,
        outcome: r.outcome as "success",
        status: r.status,
        requestId: r.requestId,
        ip: r.ip,
        details: r.details ?? null,
      })),
      nextCursor: rows.length > input.limit && last ? encodeCursor([last.id]) : null,
    },
    200,
  );
};
