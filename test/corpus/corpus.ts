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
import { parseAllDocuments } from "yaml";

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

/**
 * Every report of one tool, JSON and YAML (`*.yaml`, `*.yml`): the parsers receive decoded values, so YAML is
 * decoded here; a multi-document file becomes a Kubernetes List of its documents.
 */
export function corpusReports(tool: string): CorpusFile[] {
  const dir = join(FIXTURES, tool);
  if (!existsSync(dir)) return [];
  const yamlFiles = readdirSync(dir)
    .filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"))
    .map((name) => {
      const docs = parseAllDocuments(readFileSync(join(dir, name), "utf8"))
        .map((d) => d.toJS() as unknown)
        .filter((d) => d !== null && d !== undefined);
      return { name, json: docs.length === 1 ? docs[0] : { apiVersion: "v1", kind: "List", items: docs } };
    });
  return [...corpusFiles(tool), ...yamlFiles].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Distinct rule ids a tool's corpus maps through its table vs places by its own category. */
export function mappedVsFallback(findings: readonly FindingDraft[]): {
  mapped: string[];
  fallback: string[];
} {
  const mapped = new Set<string>();
  const fallback = new Set<string>();
  for (const f of findings) (f.taxonomy.mapped ? mapped : fallback).add(f.ruleId);
  return { mapped: [...mapped].sort(), fallback: [...fallback].sort() };
}
