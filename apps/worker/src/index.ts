export { normalizeReport } from "./jobs/normalize-report.js";
export { sweep } from "./maintenance/sweep.js";
export { PARSERS } from "./parsers/index.js";
export { startWorker } from "./worker.js";
