import { ConfigError, configFields, parseEnv } from "./config.js";
import { runMigrations } from "./migrate.js";

// `npm run migrate` / the image's migrate.js: only DATABASE_URL is needed
let databaseUrl: string;
try {
  databaseUrl = parseEnv(configFields.pick({ DATABASE_URL: true }), process.env).DATABASE_URL;
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
await runMigrations(databaseUrl);
process.stdout.write("migrations applied\n");
