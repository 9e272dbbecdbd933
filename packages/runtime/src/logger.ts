import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON logs to stdout. Secrets never reach a log line: the known carriers are redacted. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: "bulwark", ...base },
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
