/** Reports written by scanner containers (kube-bench, Polaris, …) to the volume the collector reads. */
import { readFile, stat } from "node:fs/promises";
import { reportShapeProblem } from "@bulwark/schema";
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
    const problem = reportShapeProblem(source, report);
    if (problem) return { ok: false, source, path, reason: `${path}: ${problem}` };
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

/** A kube-bench report's controls, whichever shape it has: `{Controls, Totals}` (v0.5+) or a bare array. */
function controlsOf(report: Record<string, unknown> | unknown[]): unknown[] | null {
  if (Array.isArray(report)) return report;
  return Array.isArray(report.Controls) ? report.Controls : null;
}

/**
 * kube-bench runs once per node (control plane, workers): one snapshot per node would resolve the other nodes'
 * findings, so their reports become one: every node's controls in one `Controls` list (the worker names
 * findings by benchmark, node type and check, so a check failing on three workers is one finding). The
 * merged snapshot is as old as its oldest part.
 */
export function mergeKubeBench(
  parts: Extract<FileReport, { ok: true }>[],
): Extract<FileReport, { ok: true }> {
  if (parts.length === 1) return parts[0] as Extract<FileReport, { ok: true }>;
  const controls: unknown[] = [];
  const totals = { total_pass: 0, total_fail: 0, total_warn: 0, total_info: 0 };
  for (const p of parts) {
    controls.push(...(controlsOf(p.report) ?? []));
    const t =
      !Array.isArray(p.report) && typeof p.report.Totals === "object"
        ? (p.report.Totals as Record<string, unknown>)
        : {};
    for (const k of Object.keys(totals) as (keyof typeof totals)[])
      totals[k] += typeof t[k] === "number" ? t[k] : 0;
  }
  const oldest = parts.reduce((a, b) => (a.collectedAt <= b.collectedAt ? a : b));
  return {
    ok: true,
    source: "kube-bench",
    path: parts.map((p) => p.path).join(","),
    report: { Controls: controls, Totals: totals },
    collectedAt: oldest.collectedAt,
  };
}
