import type { FindingResource } from "@bulwark/schema";

/** What every finding of one Trivy `Result` shares. Built once per Result, never per finding. */
export interface ResultContext {
  /** the resource findings attach to; misconfigs fill `container` from their message */
  resource: FindingResource;
  /** a trivy k8s report: the resource is a cluster object, Target paths are not identity */
  k8s: boolean;
  target: string | null;
  /** Result.Class, or for legacy reports inferred from Type (`os-pkgs` / `lang-pkgs`) */
  cls: string | null;
  type: string | null;
  meshImage: MeshImage | null;
}

export type MeshImage = "data-plane" | "control-plane";

export interface TrivyCounts {
  vulnerabilities: number;
  misconfigurations: number;
  secrets: number;
  /** PASS / EXCEPTION misconfigurations (only with --include-non-failures): not findings */
  passedMisconfigurations: number;
  /** license entries: compliance information, not security findings (not in the taxonomy) */
  licenses: number;
}

export function emptyCounts(): TrivyCounts {
  return { vulnerabilities: 0, misconfigurations: 0, secrets: 0, passedMisconfigurations: 0, licenses: 0 };
}

// Istio images by repository name (the tag is never looked at): the data plane sits in every request path,
// the control plane holds the mesh CA key (check-mapping.md §3).
const DATA_PLANE = new Set(["proxyv2", "ztunnel", "install-cni"]);
const CONTROL_PLANE = new Set(["pilot"]);

export function meshImageOf(repository: string | null): MeshImage | null {
  if (!repository) return null;
  const slash = repository.lastIndexOf("/");
  if (slash < 0) return null;
  const name = repository.slice(slash + 1);
  if (DATA_PLANE.has(name)) return "data-plane";
  if (CONTROL_PLANE.has(name)) return "control-plane";
  return null;
}

/** `docker.io/redis:6.0.5 (debian 10.4)` → `docker.io/redis:6.0.5`: an os-pkgs Target names the scanned image. */
export function imageFromTarget(target: string | null): string | null {
  if (!target) return null;
  const open = target.lastIndexOf(" (");
  const image = open > 0 && target.endsWith(")") ? target.slice(0, open) : target;
  return image.length > 0 ? image : null;
}

// OS families Trivy reports as Result.Type for os-pkgs. Legacy (< v0.20) reports have no Class, and the
// identity of a vulnerability must not change when a cluster upgrades Trivy, so the class is inferred.
const OS_TYPES = new Set([
  "alpine",
  "alma",
  "amazon",
  "azurelinux",
  "bottlerocket",
  "cbl-mariner",
  "centos",
  "chainguard",
  "debian",
  "echo",
  "fedora",
  "minimos",
  "opensuse",
  "opensuse.leap",
  "opensuse.tumbleweed",
  "oracle",
  "photon",
  "redhat",
  "rocky",
  "sles",
  "suse linux enterprise server",
  "suse linux enterprise micro",
  "ubuntu",
  "wolfi",
]);

export function inferClass(cls: string | null, type: string | null): string | null {
  if (cls) return cls;
  if (!type) return null;
  return OS_TYPES.has(type.toLowerCase()) ? "os-pkgs" : "lang-pkgs";
}
