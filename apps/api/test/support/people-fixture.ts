import { randomBytes } from "node:crypto";
import { createSignInLink } from "../../src/services/sign-in-links/create.js";
import type { Harness } from "./harness.js";
import { invite, join, type Member } from "./people.js";

/**
 * A tenant's people rows, through the real paths where there is one: an editor who joined by invitation and
 * is signed in (users, memberships, invitations, sessions), a pending invitation, a one-time sign-in link, an
 * SSO provider and a linked identity (seeded: no provider runs here); the writes fill the audit log.
 */
export async function seedPeople(h: Harness, tenantId: string, adminToken: string): Promise<Member> {
  const member = await join(h.app, adminToken, "editor");
  await invite(h.app, adminToken, `pending-${randomBytes(3).toString("hex")}@example.com`, "viewer");
  await createSignInLink({
    ctx: { pool: h.deps.pool, tenantId },
    input: { userId: member.userId, ttlMinutes: 5 },
  });
  await h.ctx.ownerPool.query(
    "insert into sso_providers (tenant_id, issuer, client_id, client_secret_ciphertext) values ($1, 'https://idp.example', 'c', 'v1.x.y.z')",
    [tenantId],
  );
  await h.ctx.ownerPool.query(
    "insert into user_identities (tenant_id, issuer, subject, user_id) values ($1, 'https://idp.example', $2, $3)",
    [tenantId, randomBytes(4).toString("hex"), member.userId],
  );
  return member;
}
