import { createLogger, loadConfigOrExit, safeError } from "@bulwark/runtime";
import { startWorker } from "./worker.js";

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL, { app: "worker" });
const worker = await startWorker(config, logger);
let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    worker.close().then(
      () => process.exit(0),
      (e) => {
        logger.error({ err: safeError(e) }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
