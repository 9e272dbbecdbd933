import { z } from "zod";
import { runMigrations } from "./migrate.js";

const env = z
  .object({ DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }) })
  .safeParse(process.env);
if (!env.success) {
  process.stderr.write(`invalid configuration:\n  - DATABASE_URL: ${env.error.issues[0]?.message}\n`);
  process.exit(1);
}
await runMigrations(env.data.DATABASE_URL);
process.stdout.write("migrations applied\n");
