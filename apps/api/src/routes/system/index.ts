import type { Api } from "../../env.js";
import * as healthz from "./healthz.js";
import * as metrics from "./metrics.js";
import * as readyz from "./readyz.js";

export function registerSystem(app: Api): void {
  app.openapi(healthz.route, healthz.handler);
  app.openapi(readyz.route, readyz.handler);
  app.openapi(metrics.route, metrics.handler);
}
