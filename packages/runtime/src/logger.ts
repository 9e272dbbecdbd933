import { pino } from "pino";
import { safeError } from "./errors.js";

export type Logger = pino.Logger;

/** JSON logs to stdout. Secrets never reach a log line: the known carriers are redacted. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: "bulwark", ...base },
    // an Error logged as `err` is reduced to its class, code and scrubbed message (see safeError): database
    // errors quote values and drizzle's carry every bound parameter
    serializers: { err: (e: unknown) => (e instanceof Error ? safeError(e) : e) },
    redact: {
      paths: [
        "secret",
        "*.secret",
        "token",
        "*.token",
        "authorization",
        "*.authorization",
        "headers.authorization",
        "req.headers.authorization",
        "*.headers['x-bulwark-signature']",
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
  });
}
