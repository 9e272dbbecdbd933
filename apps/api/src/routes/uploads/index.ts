import type { Api } from "../../env.js";
import * as get from "./get.js";

export function registerUploads(app: Api): void {
  app.openapi(get.route, get.handler);
}
