import { defineConfig } from "vitest/config";

/** The corpus suite: every real tool output under ../shared/fixtures (CI has that path beside the clone). */
export default defineConfig({
  test: {
    include: ["test/corpus/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
