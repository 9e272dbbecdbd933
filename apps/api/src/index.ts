/** `npm run start:api`: read the configuration, serve, and shut down gracefully on SIGTERM/SIGINT. */
import { createLogger, loadConfigOrExit, safeError } from "@bulwark/runtime";
import { ListenError, startApi } from "./server.js";

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const api = await startApi(config, logger).catch((e: unknown) => {
  if (!(e instanceof ListenError)) throw e;
  process.stderr.write(`bulwark api: ${e.message}\n`);
  process.exit(1);
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    api.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: safeError(e) }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
