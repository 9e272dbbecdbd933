import { isUnavailableError, safeError } from "@bulwark/runtime";

/**
 * Postgres or Redis was unreachable while a job ran. The queue retries it with backoff; after the last attempt
 * the report is NOT marked failed (an outage is not the report's fault): it stays unfinished and the
 * maintenance sweep retries its job once the dependency answers again.
 */
export class DependencyUnavailableError extends Error {
  static readonly NAME = "DependencyUnavailableError";
  constructor(cause: unknown) {
    super(`dependency unavailable: ${safeError(cause).message}`);
    this.name = DependencyUnavailableError.NAME;
  }
}

/**
 * What a job throws: BullMQ stores the message in Redis as the failure reason and the last one reaches the
 * report's `error`, so it carries the class and scrubbed message only (database errors quote values).
 */
export function jobError(e: unknown): Error {
  if (e instanceof DependencyUnavailableError) return e;
  if (isUnavailableError(e)) return new DependencyUnavailableError(e);
  if (e instanceof Error && e.name === "UnrecoverableError") return e;
  const safe = safeError(e);
  const err = new Error(safe.code ? `${safe.message} (${safe.code})` : safe.message);
  err.name = safe.type === "Error" ? "JobError" : safe.type;
  return err;
}
