import type { Api } from "../../env.js";
import * as list from "./list.js";
import * as remove from "./remove.js";
import * as update from "./update.js";

export function registerMembers(app: Api): void {
  app.openapi(list.route, list.handler);
  app.openapi(update.route, update.handler);
  app.openapi(remove.route, remove.handler);
}
