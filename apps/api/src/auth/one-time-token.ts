import { randomBytes } from "node:crypto";
import { sha256Hex } from "@bulwark/runtime";

/**
 * One-time tokens (invitations `bwi`, sign-in links `bwl`): `<kind>.<tenant id>.<secret>`. The tenant id is not
 * secret; carrying it lets the token be looked up inside its tenant under RLS, with no cross-tenant lookup.
 * Only the SHA-256 of the whole token is stored.
 */
export function newOneTimeToken(kind: "bwi" | "bwl", tenantId: string): { token: string; hash: string } {
  const token = `${kind}.${tenantId}.${randomBytes(32).toString("base64url")}`;
  return { token, hash: sha256Hex(token) };
}

export function parseOneTimeToken(
  kind: "bwi" | "bwl",
  token: string,
): { tenantId: string; hash: string } | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== kind || !/^ten_[0-9a-z]{1,40}$/.test(parts[1] ?? "")) return null;
  if (!/^[A-Za-z0-9_-]{40,60}$/.test(parts[2] ?? "")) return null;
  return { tenantId: parts[1] as string, hash: sha256Hex(token) };
}
