import type { TokenScope } from "./sources.js";

/** A member's role in a tenant, weakest first. */
export const ROLES = ["viewer", "editor", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

/**
 * How a role maps onto the token scopes every route declares (requireScope): a signed-in member may call a
 * route when their role's scopes include the route's scope. `owner` adds what no scope grants: deleting the
 * tenant and granting or removing the owner role.
 */
export const ROLE_SCOPES: Record<Role, readonly TokenScope[]> = {
  viewer: ["read"],
  editor: ["read", "write"],
  admin: ["read", "write", "admin"],
  owner: ["read", "write", "admin"],
};

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
