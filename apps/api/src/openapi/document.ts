/**
 * The document-level parts of the OpenAPI description: info (with the license), the tags in the order the
 * docs page shows them (every tag a route uses must be here, with a description: the document test fails
 * otherwise), the security schemes, and the server, which is the origin the document was requested from.
 */
import type { Api } from "../env.js";
import { API_DESCRIPTION } from "./description.js";

export const API_VERSION = "1.0.0";

export const TAGS = [
  { name: "ingestion", description: "Signed report uploads from the collector in each cluster" },
  {
    name: "reports",
    description: "Upload status: queued, processing, done or failed, with stats and errors",
  },
  { name: "findings", description: "Normalised findings with their status history, filtered and paged" },
  { name: "posture", description: "Scores per NIST SP 800-204 category and strategy, now and per day" },
  {
    name: "notifications",
    description: "Scheduled summaries and instant alerts by email, Slack or webhook",
  },
  { name: "sla", description: "Days to fix per severity, breaches and time to resolve" },
  { name: "mesh", description: "Istio mesh coverage facts from the latest mesh-config snapshot" },
  { name: "compliance", description: "Compliance evidence from trivy-operator ClusterComplianceReports" },
  { name: "taxonomy", description: "The categories and strategies, and the check ids no mapping knows" },
  { name: "suppressions", description: "Accepted risks: suppress findings by selector until a date" },
  { name: "clusters", description: "Clusters and their signing keys" },
  { name: "tokens", description: "API tokens of the tenant and their scopes" },
  { name: "auth", description: "Sign-in (password, OIDC, one-time links), sessions, who am I" },
  { name: "members", description: "Members of the tenant, their roles, invitations" },
  { name: "sso", description: "The tenant's OpenID Connect single sign-on" },
  { name: "audit", description: "The tenant's append-only audit log (admin)" },
  { name: "admin", description: "The platform operator (ADMIN_TOKEN): tenants" },
  { name: "console", description: "The tenant console's pages and forms at /app (HTML, signed-in members)" },
  { name: "operations", description: "Health, readiness, metrics and this documentation (no credentials)" },
] as const;

export type Tag = (typeof TAGS)[number]["name"];

export const LICENSE = {
  name: "Proprietary: use of the API is governed by the Bulwark service agreement",
  identifier: "LicenseRef-Bulwark-Proprietary",
};

export function registerSecuritySchemes(app: Api): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API token of the tenant (`bwk_…`), with the scope the route names",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "__Host-bulwark_session",
    description:
      "A signed-in member's session (see /v1/auth/login); writes also need the X-CSRF-Token header",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The platform operator's ADMIN_TOKEN",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "signedUpload", {
    type: "apiKey",
    in: "header",
    name: "X-Bulwark-Signature",
    description:
      "HMAC-SHA256 request signing with a cluster's signing key: X-Bulwark-Key, X-Bulwark-Timestamp, " +
      "X-Bulwark-Nonce and X-Bulwark-Signature (see the description's signing section)",
  });
}

/** The document's top level; `origin` is the server the client reached (scheme, host and port). */
export function documentConfig(origin: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Bulwark API", version: API_VERSION, description: API_DESCRIPTION, license: LICENSE },
    servers: [{ url: origin, description: "This Bulwark API" }],
    tags: TAGS.map((t) => ({ ...t })),
  };
}

/** The origin as the client saw it: behind a proxy, X-Forwarded-Proto / -Host say what it was. */
export function requestOrigin(url: string, forwardedProto?: string, forwardedHost?: string): string {
  const u = new URL(url);
  const proto = forwardedProto?.split(",")[0]?.trim();
  const host = forwardedHost?.split(",")[0]?.trim();
  const scheme = proto === "http" || proto === "https" ? proto : u.protocol.slice(0, -1);
  return `${scheme}://${host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : u.host}`;
}
