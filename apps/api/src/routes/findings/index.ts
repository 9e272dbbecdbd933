import type { Api } from "../../env.js";
import * as exporter from "./export.js";
import * as get from "./get.js";
import * as groups from "./groups.js";
import * as list from "./list.js";
import * as summary from "./summary.js";

export function registerFindings(app: Api): void {
  app.openapi(list.route, list.handler);
  // the fixed paths before /v1/findings/{id}, which would otherwise take them as ids
  app.openapi(summary.route, summary.handler);
  app.openapi(groups.route, groups.handler);
  app.openapi(exporter.route, exporter.handler);
  app.openapi(get.route, get.handler);
}
