import type { Api } from "../../env.js";
import * as get from "./get.js";
import * as list from "./list.js";

export function registerMesh(app: Api): void {
  app.openapi(get.route, get.handler);
  app.openapi(list.route, list.handler);
}
