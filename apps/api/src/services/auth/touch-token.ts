import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { TenantCtx } from "../context.js";

const { apiTokens } = tables;
const INTERVAL_MS = 60_000;

// Skips the round trip for tokens this process touched within the minute. Only an optimisation: the
// WHERE clause below is what keeps the write to at most once a minute across processes.
const recentlyTouched = new Map<string, number>();

/** Record that a token was used, at most once a minute. */
export async function touchToken({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { tokenId: string };
}): Promise<void> {
  const now = Date.now();
  const last = recentlyTouched.get(input.tokenId);
  if (last !== undefined && now - last < INTERVAL_MS) return;
  if (recentlyTouched.size > 10_000) recentlyTouched.clear();
  recentlyTouched.set(input.tokenId, now);
  await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiTokens.tenantId, ctx.tenantId),
          eq(apiTokens.id, input.tokenId),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      ),
  );
}
