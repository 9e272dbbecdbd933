import type { Api } from "../env.js";
import { API_DESCRIPTION } from "./description.js";
import { DOCS_HTML } from "./docs-page.js";

/** GET /openapi.json (OpenAPI 3.1 from the route definitions) and GET /docs (a self-contained viewer). */
export function registerDocs(app: Api): void {
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Bulwark API", version: "1.0.0", description: API_DESCRIPTION },
    tags: [
      { name: "ingestion", description: "Signed report uploads from collectors" },
      { name: "reports" },
      { name: "findings" },
      { name: "suppressions" },
      {
        name: "notifications",
        description: "Scheduled summaries and instant alerts by email, Slack or webhook",
      },
      { name: "clusters", description: "Clusters and their signing keys" },
      { name: "tokens", description: "API tokens" },
      { name: "admin", description: "Platform operator" },
      { name: "operations", description: "Health, readiness, metrics" },
    ],
  });
  app.get("/docs", (c) => c.html(DOCS_HTML));
  // the two documentation routes are plain handlers; list them in the document too
  for (const [path, summary, type] of [
    ["/openapi.json", "This OpenAPI 3.1 document", "application/json"],
    ["/docs", "A browsable rendering of this document (self-contained HTML)", "text/html"],
  ] as const) {
    app.openAPIRegistry.registerPath({
      method: "get",
      path,
      tags: ["operations"],
      summary,
      responses: { 200: { description: summary, content: { [type]: { schema: { type: "string" } } } } },
    });
  }
}
