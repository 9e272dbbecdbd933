import type { Api } from "../../env.js";
import * as get from "./get.js";
import * as ingest from "./ingest.js";
import * as list from "./list.js";

export function registerReports(app: Api): void {
  // documented from its route definition but served by a plain handler that owns the raw body
  app.openAPIRegistry.registerPath(ingest.route);
  app.post(ingest.route.path, ingest.handler);
  app.openapi(get.route, get.handler);
  app.openapi(list.route, list.handler);
}
