import { type FindingDraft, fingerprint, type Source } from "@bulwark/schema";
import { PARSERS } from "../../src/parsers/index.js";
import { type ParseResult, ReportParseError } from "../../src/parsers/types.js";

const ctx = (source: "trivy" | "kube-bench") => ({ source, collectedAt: new Date("2026-01-01T00:00:00Z") });

export function parseTrivy(report: unknown): ParseResult {
  const parser = PARSERS.trivy;
  if (!parser) throw new Error("trivy parser not registered");
  return parser(report, ctx("trivy"));
}

export function parseKubeBench(report: unknown): ParseResult {
  const parser = PARSERS["kube-bench"];
  if (!parser) throw new Error("kube-bench parser not registered");
  return parser(report, ctx("kube-bench"));
}

/** Any registered parser, by source. */
export function parseWith(source: Source, report: unknown): ParseResult {
  const parser = PARSERS[source];
  if (!parser) throw new Error(`${source} parser not registered`);
  return parser(report, { source, collectedAt: new Date("2026-01-01T00:00:00Z") });
}

export const fp = (source: Source, findings: FindingDraft[]) => findings.map((f) => fingerprint(source, f));

/** The error a parser throws, for asserting on its class and message. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the parser to throw");
}

/**
 * The first problem a parser met, whether it failed the report (a ReportParseError: not the tool's output, or
 * nothing usable) or skipped an entry and went on (the report's first warning): `<path>: <message>`.
 */
export function firstProblem(fn: () => ParseResult): string {
  let result: ParseResult;
  try {
    result = fn();
  } catch (e) {
    if (!(e instanceof ReportParseError)) throw e;
    return `${e.path}: ${e.detail.replace(/ \(nothing usable: .*\)$/, "")}`;
  }
  const first = result.skipped?.first[0];
  if (!first) throw new Error("expected the parser to fail or skip an entry");
  return `${first.path}: ${first.message}`;
}
