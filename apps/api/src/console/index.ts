import type { Api } from "../env.js";
import { documentConsole } from "./document.js";
import { registerConsoleClusters } from "./routes/clusters.js";
import { registerConsoleFindings } from "./routes/findings.js";
import { registerConsolePosture } from "./routes/posture.js";
import { registerConsoleSession } from "./routes/session.js";
import { registerConsoleSettings } from "./routes/settings.js";
import { registerConsoleSummaries } from "./routes/summaries.js";
import { registerConsoleSuppressions } from "./routes/suppressions.js";

/**
 * The tenant console at /app: server-rendered pages (hono JSX) over the same service functions as the API's
 * routes, forms that work without JavaScript (POST, CSRF token, 303 back), a small script for the chart and
 * copy buttons. See README "Console".
 */
export function registerConsole(app: Api): void {
  registerConsoleSession(app);
  registerConsolePosture(app);
  registerConsoleFindings(app);
  registerConsoleSuppressions(app);
  registerConsoleSummaries(app);
  registerConsoleClusters(app);
  registerConsoleSettings(app);
  documentConsole(app);
}
