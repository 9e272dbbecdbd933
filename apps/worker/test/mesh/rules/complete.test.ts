import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";

/** Every registered rule has a fire case and a quiet case in one of the rule test files. */
describe("rule tests", () => {
  const dir = new URL(".", import.meta.url);
  const text = readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => readFileSync(new URL(f, dir), "utf8"))
    .join("\n");
  it.each(RULES.map((r) => r.id))("%s has a case", (id) => {
    expect(text).toContain(`id: "${id}"`);
  });
});
