import { defineConfig } from "vitest/config";

/**
 * The fault-injection suite (npm run test:faults): real API and worker processes against a Postgres cluster
 * and a redis-server of its own, started on free ports and stopped afterwards (never the shared ones).
 * Files run one after the other: they start processes and measure latencies.
 */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
