import type { Api } from "../../env.js";
import * as list from "./list.js";

export function registerAuditLog(app: Api): void {
  app.openapi(list.route, list.handler);
}
