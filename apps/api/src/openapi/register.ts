import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import type { Api, AppEnv } from "../env.js";
import { renderDocsPage } from "./docs-page.js";
import { documentConfig, registerSecuritySchemes, requestOrigin } from "./document.js";

type Document = ReturnType<Api["getOpenAPI31Document"]>;

/**
 * GET /openapi.json (OpenAPI 3.1 from the route definitions) and GET /docs (the same document rendered on
 * the server: the page is complete on its first paint; a small script adds "try it" with a token).
 */
export function registerDocs(app: Api): void {
  registerSecuritySchemes(app);
  // routes are all registered before the first request: the document is built once, its server per request
  let base: Document | undefined;
  let page: string | undefined;
  const document = (c: Context<AppEnv>): Document => {
    const origin = requestOrigin(
      c.req.url,
      c.req.header("x-forwarded-proto"),
      c.req.header("x-forwarded-host"),
    );
    base ??= app.getOpenAPI31Document(documentConfig(origin));
    return { ...base, servers: [{ url: origin, description: "This Bulwark API" }] };
  };
  app.get("/openapi.json", (c) => c.json(document(c)));
  app.get("/docs", (c) => {
    page ??= renderDocsPage(document(c));
    const nonce = randomBytes(16).toString("base64");
    // the page's one script and style carry the nonce; nothing else may run, load or frame it
    c.header(
      "Content-Security-Policy",
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; ` +
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    c.header("Cache-Control", "no-store");
    return c.html(page.replaceAll("__NONCE__", nonce));
  });
  // the two documentation routes are plain handlers; list them in the document too
  for (const [path, operationId, summary, type] of [
    ["/openapi.json", "getOpenApiDocument", "This OpenAPI 3.1 document", "application/json"],
    ["/docs", "getDocs", "This document rendered as a page, with a form to try requests", "text/html"],
  ] as const) {
    app.openAPIRegistry.registerPath({
      method: "get",
      path,
      operationId,
      tags: ["operations"],
      security: [],
      summary,
      responses: { 200: { description: summary, content: { [type]: { schema: { type: "string" } } } } },
    });
  }
}
