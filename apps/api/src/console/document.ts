import { z } from "@hono/zod-openapi";
import type { Api } from "../env.js";

/** What each console route is, for the OpenAPI document (every served route is listed there). */
const SUMMARIES: Record<string, string> = {
  "GET /app/login": "The console's sign-in page (password, single sign-on)",
  "POST /app/login": "Sign in from the console's form; 303 to returnTo, or the form again with the reason",
  "GET /app/sso": "Start single sign-on for a tenant (redirects to /v1/auth/oidc/{tenantId}/start)",
  "GET /app/assets/:name": "A console asset (stylesheet, script, uPlot) under its content-hashed name",
  "GET /app": "Console: posture (scores, 90-day trend, what changed, silent collectors)",
  "GET /app/findings": "Console: findings with every filter of GET /v1/findings, sorting and keyset paging",
  "GET /app/findings/groups": "Console: findings grouped by CVE or check across workloads",
  "GET /app/findings/:id": "Console: one finding with its history, remediation, references and taxonomy",
  "POST /app/findings/:id/suppress":
    "Console: suppress a finding (or its rule on a scope) with a reason and an expiry",
  "POST /app/suppressions": "Console: suppress a selector with a reason and an expiry",
  "GET /app/suppressions":
    "Console: the tenant's suppressions (active, or with the expired) with what each matches",
  "POST /app/suppressions/:id/delete":
    "Console: lift a suppression (editor); the findings it covered read open again",
  "GET /app/summaries": "Console: notification rules",
  "POST /app/summaries": "Console: create a notification rule",
  "GET /app/summaries/:id": "Console: a rule's three renderings, delivery history, send now and edit",
  "GET /app/summaries/:id/email.html": "Console: the HTML part of a rule's e-mail preview (sandboxed)",
  "POST /app/summaries/:id": "Console: change a notification rule",
  "POST /app/summaries/:id/send": "Console: send a rule's summary now",
  "GET /app/clusters": "Console: clusters, last report per source, mesh coverage, signing keys",
  "POST /app/clusters": "Console: add a cluster; its key shown once in a Helm install command",
  "GET /app/mesh": "Console: mesh coverage per cluster and the mesh findings with their remediation",
  "GET /app/settings": "Console: members, invitations, tokens, SSO, SLA policy, the audit log",
  "POST /app/settings/members/:userId": "Console: change a member's role",
  "POST /app/settings/members/:userId/remove": "Console: remove a member",
  "POST /app/settings/invitations": "Console: invite someone (the link is e-mailed, or shown once)",
  "POST /app/settings/invitations/:id/revoke": "Console: revoke a pending invitation; its link stops working",
  "POST /app/settings/tokens": "Console: create an API token (shown once)",
  "POST /app/settings/tokens/:id/revoke": "Console: revoke an API token",
  "POST /app/settings/sso": "Console: save single sign-on settings",
  "POST /app/settings/sla": "Console: save the SLA policy",
};

const PUBLIC = new Set(["GET /app/login", "POST /app/login", "GET /app/sso", "GET /app/assets/:name"]);

const html = (description: string) => ({
  description,
  content: { "text/html": { schema: { type: "string" as const } } },
});

function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/app/, "")
    .split(/[/.:-]/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1));
  return `console${method === "GET" ? "" : method[0] + method.slice(1).toLowerCase()}${words.join("") || "Home"}`;
}

/**
 * The console's routes in the OpenAPI document, from the routes the app registered (a new console route
 * without a summary above fails at start-up). They answer HTML pages, not JSON.
 */
export function documentConsole(app: Api): void {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === "ALL" || !(r.path === "/app" || r.path.startsWith("/app/"))) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const summary = SUMMARIES[key];
    if (!summary) throw new Error(`console route ${key} has no summary in console/document.ts`);
    const names = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
    app.openAPIRegistry.registerPath({
      method: r.method.toLowerCase() as "get" | "post",
      path: r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}"),
      operationId: operationId(r.method, r.path),
      tags: ["console"],
      summary,
      security: PUBLIC.has(key) ? [] : [{ sessionCookie: [] }],
      ...(names.length > 0
        ? { request: { params: z.object(Object.fromEntries(names.map((n) => [n, z.string().max(200)]))) } }
        : {}),
      responses: {
        200: html("The page"),
        303: { description: "After a form post, or without a session: where to go next" },
        400: html("A field of the form or query is invalid (a page naming each)"),
        401: html("A bad API token (a browser without a session is redirected to sign in instead)"),
        403: html("The role does not allow this (a page saying so)"),
        404: html("Not found"),
      },
    });
  }
}
