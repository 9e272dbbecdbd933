import { newApiToken, withTenant } from "@bulwark/runtime";
import { newId, type TokenScope, tables } from "@bulwark/schema";
import type { TenantCtx } from "../context.js";

const { apiTokens } = tables;

export interface CreatedToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  userId: string | null;
  /** shown once; only its SHA-256 is stored */
  token: string;
}

export async function createToken({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { name: string; scopes: TokenScope[]; expiresAt?: Date | null; userId?: string | null };
}): Promise<CreatedToken> {
  const { token, hash, prefix } = newApiToken();
  const id = newId("apiToken");
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .insert(apiTokens)
      .values({
        id,
        tenantId: ctx.tenantId,
        name: input.name,
        prefix,
        tokenHash: hash,
        scopes: input.scopes,
        expiresAt: input.expiresAt ?? null,
        userId: input.userId ?? null,
      })
      .returning({ createdAt: apiTokens.createdAt }),
  );
  const createdAt = rows[0]?.createdAt ?? new Date();
  const expiresAt = input.expiresAt ?? null;
  const userId = input.userId ?? null;
  return { id, name: input.name, scopes: input.scopes, prefix, createdAt, expiresAt, userId, token };
}
