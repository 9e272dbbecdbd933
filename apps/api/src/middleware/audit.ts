import { safeError } from "@bulwark/runtime";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { clientIp } from "../auth/client-ip.js";
import type { AppEnv } from "../env.js";
import { pgCode } from "../errors.js";
import { type AuditEntry, appendAudit, outcomeOf } from "../services/audit/append.js";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `DELETE /v1/tokens/{id}`: the route as the OpenAPI document names it. */
function actionOf(c: Context<AppEnv>): string {
  const path = routePath(c, -1).replace(/:([A-Za-z0-9_]+)/g, "{$1}");
  return `${c.req.method} ${path}`;
}

const ID_LIKE = /^[a-z]{3}_[0-9a-z]+$/;

/** The created resource of a 201: its `id`, or the `id` of the first object member that has one. */
async function createdId(res: Response): Promise<string | null> {
  if (!(res.headers.get("content-type") ?? "").includes("json")) return null;
  const body: unknown = await res
    .clone()
    .json()
    .catch(() => null);
  if (!body || typeof body !== "object") return null;
  const rec = body as Record<string, unknown>;
  if (typeof rec.id === "string") return rec.id;
  for (const v of Object.values(rec)) {
    const id = v && typeof v === "object" ? (v as Record<string, unknown>).id : undefined;
    if (typeof id === "string" && ID_LIKE.test(id)) return id;
  }
  return null;
}

async function problemCode(res: Response): Promise<string | null> {
  if (!(res.headers.get("content-type") ?? "").includes("problem+json")) return null;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { type?: unknown } | null;
  return typeof body?.type === "string" ? (body.type.split("/").pop() ?? null) : null;
}

async function targetOf(c: Context<AppEnv>): Promise<string | null> {
  const explicit = c.get("auditTarget");
  if (explicit) return explicit;
  const params = Object.values(c.req.param() as Record<string, string>);
  if (params.length > 0) return params.join("/");
  return c.res.status === 201 ? createdId(c.res) : null;
}

/**
 * Every write (any method but GET/HEAD/OPTIONS) by a known caller, to any route — those added later included —
 * appends one audit entry to the caller's tenant: actor, action (method and route), target (path ids, or the
 * created id), outcome (success, failure, or denied for 401/403), status, request id, IP, time. A refused
 * write is recorded too once the caller is known. Signed uploads are not (the reports list is their record),
 * nor unauthenticated requests (no tenant to record them in); the sign-in routes write their own entries.
 * The entry is written after the handler's transaction; if it cannot be written the error is logged.
 */
export const auditWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (READS.has(c.req.method)) return;
  const auth = c.get("auth");
  const operator = c.get("operator") === true;
  const tenantId = auth?.tenantId ?? (operator ? c.get("tenantId") : undefined);
  if (!tenantId) return;
  const status = c.res.status;
  const code = status >= 400 ? await problemCode(c.res) : null;
  const entry: AuditEntry = {
    tenantId,
    actorType: auth ? (auth.kind === "session" ? "user" : "token") : "operator",
    actorId: auth ? auth.actorId : null,
    actorLabel: auth ? auth.actorLabel : "platform operator",
    action: actionOf(c),
    target: await targetOf(c),
    outcome: outcomeOf(status),
    status,
    requestId: c.get("requestId"),
    ip: clientIp(c),
    details: code ? { error: code } : null,
  };
  const { pool, logger } = c.get("deps");
  await appendAudit({ ctx: { pool }, input: [entry] }).catch((e: unknown) => {
    // a deleted tenant has no log left to write to (foreign key); anything else is an operational problem
    if (pgCode(e) === "23503") return;
    logger.error(
      { err: safeError(e), requestId: entry.requestId, tenantId, action: entry.action },
      "could not append to the audit log",
    );
  });
};
