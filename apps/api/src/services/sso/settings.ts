import { decryptSecret, encryptSecret, withTenant } from "@bulwark/runtime";
import { type Role, tables } from "@bulwark/schema";
import { eq, sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";

const { ssoProviders } = tables;

export interface SsoSettings {
  issuer: string;
  clientId: string;
  allowedDomains: string[];
  jitRole: Role | null;
  updatedAt: Date;
}

/** The client secret is bound to its tenant: a ciphertext copied into another tenant's row does not decrypt. */
const aad = (tenantId: string) => `oidc:${tenantId}`;

export async function getSso({
  ctx,
}: {
  ctx: TenantCtx;
}): Promise<(SsoSettings & { secretCiphertext: string }) | null> {
  const [r] = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db.select().from(ssoProviders).where(eq(ssoProviders.tenantId, ctx.tenantId)),
  );
  if (!r) return null;
  return {
    issuer: r.issuer,
    clientId: r.clientId,
    allowedDomains: r.allowedDomains,
    jitRole: (r.jitRole as Role | null) ?? null,
    updatedAt: r.updatedAt,
    secretCiphertext: r.clientSecretCiphertext,
  };
}

export function decryptClientSecret(secretsKey: string, tenantId: string, ciphertext: string): string {
  return decryptSecret(Buffer.from(secretsKey, "base64"), ciphertext, aad(tenantId));
}

/** Create or replace the tenant's provider; without `clientSecret` the stored one is kept. */
export async function putSso({
  ctx,
  input,
}: {
  ctx: TenantCtx & { secretsKey: string };
  input: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    allowedDomains: string[];
    jitRole: Role | null;
  };
}): Promise<void> {
  await withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const [existing] = await db
      .select({ c: ssoProviders.clientSecretCiphertext })
      .from(ssoProviders)
      .where(eq(ssoProviders.tenantId, ctx.tenantId))
      .for("update");
    const ciphertext = input.clientSecret
      ? encryptSecret(Buffer.from(ctx.secretsKey, "base64"), input.clientSecret, aad(ctx.tenantId))
      : existing?.c;
    if (!ciphertext) {
      throw new ApiError("validation_failed", "clientSecret is required the first time", {
        errors: [{ location: "body.clientSecret", message: "required" }],
      });
    }
    const values = {
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecretCiphertext: ciphertext,
      allowedDomains: input.allowedDomains,
      jitRole: input.jitRole,
    };
    await db
      .insert(ssoProviders)
      .values({ tenantId: ctx.tenantId, ...values })
      .onConflictDoUpdate({ target: ssoProviders.tenantId, set: { ...values, updatedAt: sql`now()` } });
  });
}

export async function deleteSso({ ctx }: { ctx: TenantCtx }): Promise<boolean> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .delete(ssoProviders)
      .where(eq(ssoProviders.tenantId, ctx.tenantId))
      .returning({ t: ssoProviders.tenantId }),
  );
  return rows.length > 0;
}
