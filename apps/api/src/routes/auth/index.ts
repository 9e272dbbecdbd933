import type { Api } from "../../env.js";
import * as me from "../me/get.js";
import * as invitation from "./invitation.js";
import * as link from "./link.js";
import * as login from "./login.js";
import * as logout from "./logout.js";
import * as switchTenant from "./switch-tenant.js";

/** Sign-in, sign-out and who-am-I: the routes the console signs in through. */
export function registerAuth(app: Api): void {
  app.openapi(login.route, login.handler);
  app.openapi(logout.logoutRoute, logout.logoutHandler);
  app.openapi(logout.everywhereRoute, logout.everywhereHandler);
  app.openapi(switchTenant.route, switchTenant.handler);
  app.openapi(link.pageRoute, link.pageHandler);
  app.openapi(link.consumeRoute, link.consumeHandler);
  app.openapi(invitation.pageRoute, invitation.pageHandler);
  app.openapi(invitation.acceptRoute, invitation.acceptHandler);
  app.openapi(me.route, me.handler);
}
