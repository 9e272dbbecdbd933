import type { Api } from "../../env.js";
import * as createTenant from "./create-tenant.js";
import * as manage from "./manage.js";
import * as tenants from "./tenants.js";

export function registerAdmin(app: Api): void {
  app.openapi(createTenant.route, createTenant.handler);
  app.openapi(tenants.listRoute, tenants.listHandler);
  app.openapi(tenants.getRoute, tenants.getHandler);
  app.openapi(manage.suspendRoute, manage.suspendHandler);
  app.openapi(manage.resumeRoute, manage.resumeHandler);
  app.openapi(manage.deleteRoute, manage.deleteHandler);
  app.openapi(manage.inviteRoute, manage.inviteHandler);
}
