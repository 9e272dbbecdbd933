import type { Api } from "../../env.js";
import * as create from "./create.js";
import * as createKey from "./create-key.js";
import * as del from "./delete.js";
import * as list from "./list.js";
import * as listKeys from "./list-keys.js";
import * as revokeKey from "./revoke-key.js";

export function registerClusters(app: Api): void {
  app.openapi(create.route, create.handler);
  app.openapi(list.route, list.handler);
  app.openapi(del.route, del.handler);
  app.openapi(createKey.route, createKey.handler);
  app.openapi(listKeys.route, listKeys.handler);
  app.openapi(revokeKey.route, revokeKey.handler);
}
