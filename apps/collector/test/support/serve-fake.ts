/**
 * The fake API server on its own, to run the collector by hand:
 *   npx tsx apps/collector/test/support/serve-fake.ts > /tmp/fake.kubeconfig &
 *   npx bulwark-collector --kubeconfig /tmp/fake.kubeconfig --context fake --dry-run --out /tmp/bulwark-dry
 * Prints a kubeconfig for it on stdout, serves the fixture cluster until interrupted.
 */
import { loadFixture, startFakeApiServer } from "./fake-apiserver.js";

const fake = await startFakeApiServer({
  objects: loadFixture(new URL("../fixtures/cluster.yaml", import.meta.url)),
});
process.stdout.write(fake.kubeconfigYaml());
process.stderr.write(`fake Kubernetes API server on ${fake.url} (context "fake"); Ctrl-C to stop\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => void fake.close().then(() => process.exit(0)));
