import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { desc, eq } from "drizzle-orm";
import type { TenantCtx } from "../context.js";

const { apiTokens } = tables;

export interface TokenSummary {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  userId: string | null;
}

/** The tenant's tokens, newest first, never with their hash. */
export async function listTokens({ ctx }: { ctx: TenantCtx }): Promise<TokenSummary[]> {
  return withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select({
        id: apiTokens.id,
        name: apiTokens.name,
        scopes: apiTokens.scopes,
        prefix: apiTokens.prefix,
        createdAt: apiTokens.createdAt,
        lastUsedAt: apiTokens.lastUsedAt,
        revokedAt: apiTokens.revokedAt,
        expiresAt: apiTokens.expiresAt,
        userId: apiTokens.userId,
      })
      .from(apiTokens)
      .where(eq(apiTokens.tenantId, ctx.tenantId))
      .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id)),
  );
}
