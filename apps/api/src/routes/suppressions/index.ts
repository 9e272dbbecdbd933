import type { Api } from "../../env.js";
import * as create from "./create.js";
import * as del from "./delete.js";
import * as list from "./list.js";

export function registerSuppressions(app: Api): void {
  app.openapi(create.route, create.handler);
  app.openapi(list.route, list.handler);
  app.openapi(del.route, del.handler);
}
