import type { Api } from "../../env.js";
import * as get from "./get.js";
import * as unmapped from "./unmapped.js";

export function registerTaxonomy(app: Api): void {
  app.openapi(get.route, get.handler);
  app.openapi(unmapped.route, unmapped.handler);
}
