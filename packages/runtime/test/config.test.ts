import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const root = resolve(import.meta.dirname, "../../..");
const good = {
  DATABASE_URL: "postgres://u@h/db",
  REDIS_URL: "redis://h:6379",
  ADMIN_TOKEN: "a".repeat(24),
  SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("configuration errors", () => {
  it("are one sentence per variable, naming it and what it must be, never its value", () => {
    let err: ConfigError | undefined;
    try {
      loadConfig({
        ...good,
        DATABASE_URL: undefined,
        SECRETS_KEY: "c2hvcnQ=",
        PORT: "eighty",
        LOG_LEVEL: "loud",
      });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.problems).toEqual([
      "DATABASE_URL is not set: it must be a postgres:// URL of the database, such as postgres://bulwark:secret@db:5432/bulwark.",
      "SECRETS_KEY is set but not valid: it must be 32 random bytes in base64 (openssl rand -base64 32).",
      "PORT is set but not valid: it must be a whole number from 0 to 65535.",
      "LOG_LEVEL is set but not valid: it must be one of fatal, error, warn, info, debug, trace or silent.",
    ]);
    expect(err?.message).not.toContain("c2hvcnQ=");
  });

  it("end an entry point with exit 1 and the sentences on stderr (npm run migrate)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "packages/runtime/src/migrate-cli.ts"], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_URL: "mysql://nope" },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "the configuration is invalid:",
      "  DATABASE_URL is set but not valid: it must be a postgres:// URL of the database, such as postgres://bulwark:secret@db:5432/bulwark.",
    ]);
  });
});
