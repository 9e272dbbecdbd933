import type { Api } from "../../env.js";
import * as getPolicy from "./get-policy.js";
import * as putPolicy from "./put-policy.js";
import * as report from "./report.js";

export function registerSla(app: Api): void {
  app.openapi(report.route, report.handler);
  app.openapi(getPolicy.route, getPolicy.handler);
  app.openapi(putPolicy.route, putPolicy.handler);
}
