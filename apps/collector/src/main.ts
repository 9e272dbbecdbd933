/** Entry point of `bulwark-collector` (bin/), `npm run collector` and the container image. */
import { main } from "./cli.js";

process.exitCode = await main(process.argv.slice(2), process.env, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});
