import type { Api } from "../../env.js";
import * as get from "./get.js";
import * as list from "./list.js";
import * as nist from "./nist.js";

export function registerCompliance(app: Api): void {
  app.openapi(nist.route, nist.handler);
  app.openapi(list.route, list.handler);
  app.openapi(get.route, get.handler);
}
