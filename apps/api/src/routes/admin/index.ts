import type { Api } from "../../env.js";
import * as createTenant from "./create-tenant.js";

export function registerAdmin(app: Api): void {
  app.openapi(createTenant.route, createTenant.handler);
}
