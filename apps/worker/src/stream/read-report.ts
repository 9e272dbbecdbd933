import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { FindingDraft, ManifestEntry, Source } from "@bulwark/schema";
import { DependencyUnavailableError } from "../jobs/errors.js";
import { TrivyK8sStream } from "../parsers/trivy/stream.js";
import type { ParseResult, Parser } from "../parsers/types.js";
import { EnvelopeSplitter } from "./envelope-splitter.js";

/** The stored bytes are not gzip of a JSON document: the report fails (retrying would not help). */
export class PayloadReadError extends Error {
  constructor(cause: unknown) {
    super((cause as Error).message);
    this.name = "PayloadReadError";
  }
}

/** drafts handed over at once (the COPY writes them in chunks of its own) */
const BATCH = 2_000;

export interface ReadOptions {
  source: Source;
  parser: Parser;
  collectedAt: Date;
  /** read trivy k8s `Resources` one at a time (false: the whole document at once, as any other report) */
  stream: boolean;
  onDrafts(drafts: FindingDraft[]): Promise<void>;
}

/**
 * Read a stored payload (gzip of the upload envelope) and hand its drafts over as they are parsed. A trivy
 * k8s report is read one resource at a time (its memory is one resource's, whatever the report's size);
 * every other report, small by nature, is parsed whole by its parser. Returns what the parser says besides
 * the drafts. Throws PayloadReadError (not gzip, not JSON), ReportParseError (not the tool's shape),
 * NotStreamableError (read it again with `stream: false`), DependencyUnavailableError (the store broke off).
 */
export async function readReport(gz: Readable, o: ReadOptions): Promise<Omit<ParseResult, "findings">> {
  const trivy = o.stream && o.source === "trivy" ? new TrivyK8sStream() : null;
  let pending: FindingDraft[] = [];
  let elementError: unknown;
  const splitter = new EnvelopeSplitter(trivy ? "Resources" : null, (json, i) => {
    if (elementError || !trivy) return;
    try {
      pending.push(...trivy.resource(JSON.parse(json.toString("utf8")), i));
    } catch (e) {
      elementError = e instanceof SyntaxError ? new PayloadReadError(e) : e;
    }
  });
  let sourceError: unknown;
  const text = gz.pipe(createGunzip());
  gz.on("error", (e) => {
    sourceError = e;
    text.destroy(e);
  });
  try {
    for await (const chunk of text) {
      splitter.write(chunk as Buffer);
      if (elementError) throw elementError;
      if (pending.length >= BATCH) {
        const batch = pending;
        pending = [];
        await o.onDrafts(batch);
      }
    }
  } catch (e) {
    gz.destroy();
    if (sourceError) throw new DependencyUnavailableError(sourceError);
    if (e === elementError) throw e;
    throw new PayloadReadError(e);
  }
  let envelope: { report: unknown; manifest?: ManifestEntry[] };
  try {
    envelope = JSON.parse(splitter.end());
  } catch (e) {
    throw new PayloadReadError(e);
  }
  if (trivy && splitter.count > 0) {
    const rest = trivy.finish(envelope.report);
    await o.onDrafts([...pending, ...rest.findings]);
    const { findings: _f, ...others } = rest;
    return others;
  }
  const parsed = o.parser(envelope.report, {
    source: o.source,
    collectedAt: o.collectedAt,
    ...(envelope.manifest ? { manifest: envelope.manifest } : {}),
  });
  await o.onDrafts(parsed.findings);
  const { findings: _f, ...others } = parsed;
  return others;
}
