import type { Api } from "../../env.js";
import * as create from "./create.js";
import * as list from "./list.js";
import * as revoke from "./revoke.js";

export function registerTokens(app: Api): void {
  app.openapi(create.route, create.handler);
  app.openapi(list.route, list.handler);
  app.openapi(revoke.route, revoke.handler);
}
