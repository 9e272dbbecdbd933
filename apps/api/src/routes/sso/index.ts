import type { Api } from "../../env.js";
import * as oidc from "../auth/oidc.js";
import * as routes from "./routes.js";

export function registerSso(app: Api): void {
  app.openapi(routes.getRoute, routes.getHandler);
  app.openapi(routes.putRoute, routes.putHandler);
  app.openapi(routes.deleteRoute, routes.deleteHandler);
  app.openapi(oidc.startRoute, oidc.startHandler);
  app.openapi(oidc.callbackRoute, oidc.callbackHandler);
}
