import type { Api } from "../../env.js";
import * as get from "./get.js";
import * as list from "./list.js";

export function registerCompliance(app: Api): void {
  app.openapi(list.route, list.handler);
  app.openapi(get.route, get.handler);
}
