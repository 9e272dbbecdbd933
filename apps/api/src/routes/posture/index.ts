import type { Api } from "../../env.js";
import * as get from "./get.js";
import * as history from "./history.js";

export function registerPosture(app: Api): void {
  app.openapi(get.route, get.handler);
  app.openapi(history.route, history.handler);
}
