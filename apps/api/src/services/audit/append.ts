import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import type pg from "pg";

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditEntry {
  tenantId: string;
  actorType: "user" | "token" | "operator" | "anonymous";
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  status: number | null;
  requestId: string | null;
  ip: string | null;
  details?: Record<string, unknown> | null;
}

/** Append entries to tenants' audit logs (INSERT is all the application role may do there). */
export async function appendAudit({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: AuditEntry[];
}): Promise<void> {
  const byTenant = new Map<string, AuditEntry[]>();
  for (const e of input) byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), e]);
  for (const [tenantId, entries] of byTenant) {
    await withTenant(ctx.pool, tenantId, (db) =>
      db.insert(tables.auditLog).values(
        entries.map((e) => ({
          tenantId,
          actorType: e.actorType,
          actorId: e.actorId,
          actorLabel: e.actorLabel?.slice(0, 320) ?? null,
          action: e.action.slice(0, 200),
          target: e.target?.slice(0, 300) ?? null,
          outcome: e.outcome,
          status: e.status,
          requestId: e.requestId,
          ip: e.ip,
          details: e.details ?? null,
        })),
      ),
    );
  }
}

export function outcomeOf(status: number): AuditOutcome {
  if (status === 401 || status === 403) return "denied";
  return status < 400 ? "success" : "failure";
}
