import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository's migrations/ from the source tree; in a built image (dist/api/), the copy beside the bundle. */
export const MIGRATIONS_DIR =
  [resolve(here, "../../../migrations"), resolve(here, "migrations")].find((d) =>
    existsSync(join(d, "meta/_journal.json")),
  ) ?? resolve(here, "../../../migrations");

/** Apply the committed migrations (idempotent). An advisory lock serialises concurrent starters. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bulwark-migrate" });
  await client.connect();
  try {
    await client.query("SET client_min_messages = warning");
    await client.query("SELECT pg_advisory_lock(hashtext('bulwark-migrate'))");
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('bulwark-migrate'))").catch(() => {});
    await client.end();
  }
}
