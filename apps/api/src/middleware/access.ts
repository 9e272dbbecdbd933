import type { Role, TokenScope } from "@bulwark/schema";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.js";

/**
 * What a route lets in, declared by the middleware that enforces it. The role-matrix test reads this off the
 * app's registered routes, so a route added later is covered automatically and fails until it declares one.
 * - scope: a token with the scope, or a member whose role's scopes include it (ROLE_SCOPES)
 * - role: a member with at least that role (owner-only actions); tokens never qualify
 * - session: any signed-in member (logout, switching tenant)
 * - authenticated: any token or session (GET /v1/me)
 * - operator: ADMIN_TOKEN
 * - signed: a cluster's signing key (uploads)
 * - public: nobody needs to be known (health, docs, the sign-in entry points)
 */
export type Access =
  | { kind: "scope"; scope: TokenScope }
  | { kind: "role"; role: Role }
  | { kind: "session" }
  | { kind: "authenticated" }
  | { kind: "operator" }
  | { kind: "signed" }
  | { kind: "public" };

const declared = new WeakMap<object, Access>();

export function declareAccess<T extends object>(handler: T, access: Access): T {
  declared.set(handler, access);
  return handler;
}

export function accessOf(handler: unknown): Access | undefined {
  return typeof handler === "function" ? declared.get(handler) : undefined;
}

/** Marks a route as open to anyone (it may still check something of its own, as sign-in does). */
export const publicAccess: MiddlewareHandler<AppEnv> = declareAccess(async (_c, next) => next(), {
  kind: "public",
});

/**
 * Routes registered before access markers existed (or by helpers that take no middleware), declared here by
 * `METHOD path` as hono registers it.
 */
export const DECLARED_ELSEWHERE: Record<string, Access> = {
  "GET /healthz": { kind: "public" },
  "GET /readyz": { kind: "public" },
  "GET /metrics": { kind: "public" },
  "GET /openapi.json": { kind: "public" },
  "GET /docs": { kind: "public" },
  "POST /v1/reports": { kind: "signed" },
  "GET /v1/uploads/:id": { kind: "signed" },
  "GET /schemas/notification-webhook.v1.json": { kind: "public" },
};

/** The access of a registered route: its marked middleware, else the table above. */
export function routeAccess(method: string, path: string, handlers: readonly unknown[]): Access | undefined {
  for (const h of handlers) {
    const a = accessOf(h);
    if (a) return a;
  }
  return DECLARED_ELSEWHERE[`${method} ${path}`];
}
