import type { Api } from "../../env.js";
import * as create from "./create.js";
import * as list from "./list.js";

export function registerInvitations(app: Api): void {
  app.openapi(create.route, create.handler);
  app.openapi(list.listRoute, list.listHandler);
  app.openapi(list.revokeRoute, list.revokeHandler);
}
