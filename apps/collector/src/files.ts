/** Reports written by scanner containers (kube-bench, Polaris, …) to the volume the collector reads. */
import { readFile, stat } from "node:fs/promises";
import type { FileSource } from "./config.js";

export type FileReport =
  | {
      ok: true;
      source: FileSource;
      path: string;
      report: Record<string, unknown> | unknown[];
      collectedAt: string;
    }
  | { ok: false; source: FileSource; path: string; reason: string };

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * collectedAt is when the scanner wrote the file (its mtime), not when it was uploaded: a stale report from
 * a scanner Job that stopped running must not pass for a fresh snapshot. Never after now (a node's clock).
 */
export async function readFileReport(source: FileSource, path: string, now: number): Promise<FileReport> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    let report: unknown;
    try {
      report = JSON.parse(text);
    } catch (e) {
      return { ok: false, source, path, reason: `${path} is not JSON: ${(e as Error).message}` };
    }
    if (typeof report !== "object" || report === null) {
      return {
        ok: false,
        source,
        path,
        reason: `${path} holds JSON ${report === null ? "null" : typeof report}, not a report`,
      };
    }
    return {
      ok: true,
      source,
      path,
      report: report as Record<string, unknown>,
      collectedAt: isoSeconds(Math.min(info.mtimeMs, now)),
    };
  } catch (e) {
    return {
      ok: false,
      source,
      path,
      reason: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    };
  }
}
