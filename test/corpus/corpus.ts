import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  categoryOf,
  type FindingDraft,
  fingerprint,
  imageRepository,
  isStrategyId,
  SEVERITIES,
  type Source,
} from "@bulwark/schema";
import { expect } from "vitest";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The shared fixture set (never copied into the repo): BULWARK_FIXTURES, else ../shared/fixtures beside the clone. */
export const FIXTURES = process.env.BULWARK_FIXTURES ?? resolve(projectRoot, "../shared/fixtures");

export interface CorpusFile {
  name: string;
  json: unknown;
}

/** Every JSON report of one tool (`*.json` and `*.json.golden`), sorted by name. */
export function corpusFiles(tool: string): CorpusFile[] {
  const dir = join(FIXTURES, tool);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith(".json") || n.endsWith(".json.golden"))
    .sort()
    .map((name) => ({ name, json: JSON.parse(readFileSync(join(dir, name), "utf8")) as unknown }));
}

/** The "Counts: …" column of SOURCES.md for one file, when the file is listed there. */
export function sourcesCounts(file: string): string | null {
  const path = join(FIXTURES, "SOURCES.md");
  if (!existsSync(path)) return null;
  const row = readFileSync(path, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`| \`${file}\` |`));
  const at = row?.indexOf("Counts:") ?? -1;
  return row && at >= 0 ? row.slice(at) : null;
}

/** What every normalised finding must satisfy, whatever the tool. */
export function expectWellFormed(source: Source, f: FindingDraft): void {
  expect(f.ruleId.length).toBeGreaterThan(0);
  expect(f.title.length).toBeGreaterThan(0);
  expect(SEVERITIES).toContain(f.severity);
  expect(isStrategyId(f.taxonomy.strategy)).toBe(true);
  expect(categoryOf(f.taxonomy.strategy)).toBe(f.taxonomy.category);
  expect(f.taxonomy.nist.length + (f.taxonomy.strategy === "PLAT-CIS" ? 1 : 0)).toBeGreaterThan(0);
  expect(f.references.length).toBeLessThanOrEqual(20);
  expect(new Set(f.references).size).toBe(f.references.length);
  // identity parts never carry the image tag or digest
  const image = f.resource.image;
  if (image && image !== imageRepository(image)) {
    for (const part of f.identity) expect(part === null || !part.includes(image)).toBe(true);
  }
  expect(fingerprint(source, f)).toMatch(/^[0-9a-f]{64}$/);
}
