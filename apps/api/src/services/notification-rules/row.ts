import type { Db } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../errors.js";

const { notificationRules } = tables;
export type RuleRow = typeof notificationRules.$inferSelect;

/** A rule of the tenant, or 404 (another tenant's id too). */
export async function loadRule(db: Db, tenantId: string, id: string, forUpdate = false): Promise<RuleRow> {
  const q = db
    .select()
    .from(notificationRules)
    .where(and(eq(notificationRules.tenantId, tenantId), eq(notificationRules.id, id)));
  const rows = forUpdate ? await q.for("update") : await q;
  const row = rows[0];
  if (!row) throw new ApiError("not_found", `notification rule ${id} not found`);
  return row;
}
