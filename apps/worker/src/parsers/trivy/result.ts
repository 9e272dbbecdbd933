import { type FindingDraft, type FindingResource, imageRepository } from "@bulwark/schema";
import type { Entries, KeepOpen } from "../tolerance.js";
import { expectRec, optArr, optStr, reqStrAllowEmpty } from "../util.js";
import { imageFromTarget, inferClass, meshImageOf, type ResultContext, type TrivyCounts } from "./context.js";
import { isFailure, misconfigurationDraft } from "./misconfig.js";
import { secretDraft } from "./secrets.js";
import { vulnerabilityDraft } from "./vulns.js";

/** Where the Results of one artifact (an image, a file tree, one cluster object) attach. */
export interface Scope {
  /** kind/namespace/name of the cluster object (k8s) or name = ArtifactName (fs/repo/config), image null */
  resource: FindingResource;
  k8s: boolean;
  /** an image scan or a cluster object's image: os-pkgs Results may name their own */
  image: string | null;
}

export interface Sink {
  findings: FindingDraft[];
  counts: TrivyCounts;
  /** tolerant reading: a malformed entry is skipped (and what it may have matched kept open) */
  entries: Entries;
}

/** What an entry of this scope may have produced: the findings of its resource. */
export function keepOf(resource: FindingResource): KeepOpen {
  return { kind: resource.kind, namespace: resource.namespace, name: resource.name };
}

/** Walk one `Results[]` entry: every vulnerability, every failing misconfiguration, every secret. */
export function walkResult(raw: unknown, at: string, scope: Scope, sink: Sink): void {
  const r = expectRec(raw, at);
  // every Result trivy has written names its Target: a list of objects without one is not trivy's
  const target = reqStrAllowEmpty(r, "Target", at);
  const type = optStr(r, "Type", at);
  const cls = inferClass(optStr(r, "Class", at), type);
  // an os-pkgs Target in a k8s report is "<image> (<distro>)": the most precise image for its packages
  const image = cls === "os-pkgs" && scope.k8s ? (imageFromTarget(target) ?? scope.image) : scope.image;
  const rc: ResultContext = {
    resource: { ...scope.resource, image },
    k8s: scope.k8s,
    target,
    cls,
    type,
    meshImage: meshImageOf(imageRepository(image)),
  };
  const { findings, counts, entries } = sink;
  const keep = keepOf(rc.resource);

  const vulns = optArr(r.Vulnerabilities, `${at}.Vulnerabilities`);
  for (let i = 0; i < vulns.length; i++) {
    const d = entries.entry(keep, () => vulnerabilityDraft(vulns[i], `${at}.Vulnerabilities[${i}]`, rc));
    if (d) {
      findings.push(d);
      counts.vulnerabilities++;
    }
  }

  const misconfs = optArr(r.Misconfigurations, `${at}.Misconfigurations`);
  for (let i = 0; i < misconfs.length; i++) {
    const mat = `${at}.Misconfigurations[${i}]`;
    entries.entry(keep, () => {
      if (!isFailure(misconfs[i], mat)) {
        counts.passedMisconfigurations++;
        return;
      }
      findings.push(misconfigurationDraft(misconfs[i], mat, rc));
      counts.misconfigurations++;
    });
  }

  const secrets = optArr(r.Secrets, `${at}.Secrets`);
  for (let i = 0; i < secrets.length; i++) {
    const d = entries.entry(keep, () => secretDraft(secrets[i], `${at}.Secrets[${i}]`, rc));
    if (d) {
      findings.push(d);
      counts.secrets++;
    }
  }

  // Licenses[] (license / license-file classes) are compliance data, not security findings: the taxonomy
  // has no strategy for them, so they are only counted (meta.counts.licenses)
  counts.licenses += optArr(r.Licenses, `${at}.Licenses`).length;
}
