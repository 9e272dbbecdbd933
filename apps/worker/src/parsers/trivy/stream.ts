import type { FindingDraft } from "@bulwark/schema";
import { Entries } from "../tolerance.js";
import type { ParseResult } from "../types.js";
import { isRec, optStr, type Rec } from "../util.js";
import { emptyCounts } from "./context.js";
import type { Sink } from "./result.js";
import { detectFormat, walkK8s, walkK8sResource } from "./shapes.js";

/** The report turned out not to be a trivy k8s `Resources` report: read it whole instead. */
export class NotStreamableError extends Error {
  constructor(format: string) {
    super(`a trivy ${format} report is read whole`);
    this.name = "NotStreamableError";
  }
}

/**
 * `trivy k8s --format json` (v0.42+, `Resources[]`) read one resource at a time: the same walk and the same
 * drafts as parseTrivy, but each resource's drafts are handed over as soon as it is read, so a report of any
 * size needs the memory of one resource. The rest of the document (ClusterName …) comes at the end.
 */
export class TrivyK8sStream {
  private readonly sink: Sink = { findings: [], counts: emptyCounts(), entries: new Entries() };
  private readonly errors = { count: 0 };
  private resources = 0;

  /** One element of `Resources`, at its index: its drafts. */
  resource(raw: unknown, index: number): FindingDraft[] {
    const at = `$.Resources[${index}]`;
    this.resources++;
    if (!isRec(raw)) this.sink.entries.skip(at, "expected an object", {});
    else walkK8sResource(raw, at, this.sink, this.errors);
    const drafts = this.sink.findings;
    this.sink.findings = [];
    return drafts;
  }

  /**
   * The report without its resources: checked to be the trivy k8s shape the resources were read as (else
   * NotStreamableError, and the caller reads the report whole), then the meta and what was skipped.
   */
  finish(skeleton: unknown): Omit<ParseResult, "findings"> & { findings: FindingDraft[] } {
    const format = detectFormat(skeleton);
    if (format !== "k8s-resources") throw new NotStreamableError(format);
    const r = skeleton as Rec;
    // a Resources list the splitter did not take (none streamed: null, or an empty list) is walked as usual
    const rest = walkK8s(r, ["Resources"], this.sink);
    const meta: Record<string, unknown> = {
      format,
      clusterName: optStr(r, "ClusterName", "$"),
      resources: this.resources + rest.resources,
      resourceErrors: this.errors.count + rest.errors,
      counts: this.sink.counts,
    };
    const findings = this.sink.findings;
    this.sink.findings = [];
    const skipped = this.sink.entries.finish("entries");
    return { findings, meta, ...(skipped ? { skipped } : {}) };
  }
}
