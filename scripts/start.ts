/**
 * `npm start`: migrations (idempotent, locked), then the API and the worker in one process, for one machine.
 * In a cluster run them apart (`npm run start:api`, `npm run start:worker`) and scale each on its own.
 */
import { ListenError, startApi } from "@bulwark/api/server";
import { createLogger, loadConfigOrExit, runMigrations, safeError } from "@bulwark/runtime";
import { startWorker } from "@bulwark/worker";

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
await runMigrations(config.DATABASE_URL);
const worker = await startWorker(config, logger);
const api = await startApi(config, logger).catch(async (e: unknown) => {
  await worker.close();
  if (!(e instanceof ListenError)) throw e;
  process.stderr.write(`bulwark: ${e.message}\n`);
  process.exit(1);
});

let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: sig }, "shutting down");
    Promise.all([api.close(), worker.close()]).then(
      () => process.exit(0),
      (e) => {
        logger.error({ err: safeError(e) }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
