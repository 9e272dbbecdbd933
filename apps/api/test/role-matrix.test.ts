import { ROLE_SCOPES, ROLES, type Role, TOKEN_SCOPES, type TokenScope } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Access, routeAccess } from "../src/middleware/access.js";
import { call, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { quickSession } from "./support/people.js";

/**
 * Every route the app registers (so routes added later are covered without editing this file) × every role
 * (a signed-in member's session) and every token scope, asserting the status: a caller the route's declared
 * access admits is never refused (401/403); any other caller is refused. A route that declares no access
 * fails the first test until it does.
 */
type Caller = { kind: "session"; role: Role } | { kind: "token"; scope: TokenScope };
const CALLERS: Caller[] = [
  ...ROLES.map((role) => ({ kind: "session" as const, role })),
  ...TOKEN_SCOPES.map((scope) => ({ kind: "token" as const, scope })),
];

function admitted(access: Access, caller: Caller): boolean {
  switch (access.kind) {
    case "public":
    case "authenticated":
      return true;
    case "scope":
      return caller.kind === "session"
        ? ROLE_SCOPES[caller.role].includes(access.scope)
        : caller.scope === access.scope;
    case "role":
      return caller.kind === "session" && ROLES.indexOf(caller.role) >= ROLES.indexOf(access.role);
    case "session":
      return caller.kind === "session";
    case "operator":
    case "signed":
      return false;
  }
}

/** The status a refused caller gets: 403 when the API knows who it is, 401 when it is the wrong kind. */
function refusal(access: Access, caller: Caller): number {
  if (access.kind === "operator" || access.kind === "signed") return 401;
  if (access.kind === "session" && caller.kind === "token") return 401;
  return 403;
}

let h: Harness;
let tenantId: string;
const tokens = {} as Record<TokenScope, string>;
let routes: { method: string; path: string; access: Access | undefined }[];

beforeAll(async () => {
  h = await createHarness();
  const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "matrix");
  tenantId = t.tenantId;
  for (const scope of TOKEN_SCOPES) {
    const res = await call<{ token: string }>(h.app, "POST", "/v1/tokens", {
      token: t.token,
      body: { name: `only-${scope}`, scopes: [scope], service: true },
    });
    tokens[scope] = res.body.token;
  }
  const byRoute = new Map<string, unknown[]>();
  for (const r of h.app.routes) {
    if (r.method === "ALL") continue;
    const key = `${r.method} ${r.path}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), r.handler]);
  }
  routes = [...byRoute].map(([key, handlers]) => {
    const [method = "", path = ""] = key.split(" ");
    return { method, path, access: routeAccess(method, path, handlers) };
  });
});
afterAll(async () => {
  await h?.close();
});

describe("role matrix", () => {
  it("every registered route declares who may call it", () => {
    const undeclared = routes.filter((r) => !r.access).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });

  it("every route × every role and token scope answers as declared", async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      if (!r.access) continue;
      const path = r.path.replace(/:[A-Za-z0-9_]+/g, "x");
      for (const caller of CALLERS) {
        const headers: Record<string, string> = {};
        if (caller.kind === "session") {
          // a fresh member and session each time: sign-out routes end theirs
          const s = await quickSession(h, tenantId, caller.role);
          headers.cookie = s.cookie;
          headers["x-csrf-token"] = s.csrf;
        } else {
          headers.authorization = `Bearer ${tokens[caller.scope]}`;
        }
        const write = r.method !== "GET" && r.method !== "HEAD";
        if (write) headers["content-type"] = "application/json";
        const res = await h.app.request(path, { method: r.method, headers, body: write ? "{}" : undefined });
        await res.arrayBuffer();
        const label = `${r.method} ${r.path} as ${caller.kind === "session" ? caller.role : `token:${caller.scope}`}`;
        if (admitted(r.access, caller)) {
          if (res.status === 401 || res.status === 403)
            wrong.push(`${label}: ${res.status}, expected admitted`);
        } else if (res.status !== refusal(r.access, caller)) {
          wrong.push(`${label}: ${res.status}, expected ${refusal(r.access, caller)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
