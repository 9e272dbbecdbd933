/**
 * Names a workload by its stable owner so that a finding survives redeployments: a ReplicaSet or Pod name
 * carries a pod-template hash and a random suffix, a CronJob's Job and Pods carry the scheduled time.
 * Kubernetes' generated suffixes use the alphabet of k8s.io/apimachinery/pkg/util/rand (no vowels, no 0/1/3).
 */
export interface OwnerReference {
  kind?: string | null;
  name?: string | null;
  controller?: boolean | null;
}

export interface OwnerInput {
  kind: string;
  name: string;
  labels?: Record<string, string> | null;
  ownerReferences?: readonly OwnerReference[] | null;
}

export interface Owner {
  kind: string;
  name: string;
}

const A = "[bcdfghjklmnpqrstvwxz2456789]";
/** ReplicaSet `x-<pod-template-hash>` (SafeEncodeString of a uint32: 5–10 chars). */
const REPLICASET = new RegExp(`^(.+)-${A}{5,10}$`);
/** Pod `x-<pod-template-hash>-<5 random>`. */
const RS_POD = new RegExp(`^(.+)-${A}{5,10}-${A}{5}$`);
/** Job created by a CronJob: `x-<scheduled time in minutes>` (8+ digits). */
const CRON_JOB = /^(.+)-\d{8,}$/;
/** Pod of such a Job: `x-<digits>-<5 random>`. */
const CRON_POD = new RegExp(`^(.+)-\\d{8,}-${A}{5}$`);
const POD_SUFFIX = new RegExp(`.-${A}{5}$`);

function fromReplicaSet(name: string, hash: string | undefined): Owner {
  if (hash && name.endsWith(`-${hash}`)) return { kind: "Deployment", name: name.slice(0, -hash.length - 1) };
  const m = REPLICASET.exec(name);
  // a ReplicaSet whose name has no hash was created by hand: it is its own owner
  return m?.[1] ? { kind: "Deployment", name: m[1] } : { kind: "ReplicaSet", name };
}

function fromJob(name: string): Owner {
  const m = CRON_JOB.exec(name);
  return m?.[1] ? { kind: "CronJob", name: m[1] } : { kind: "Job", name };
}

function fromOwnerReference(input: OwnerInput, ref: OwnerReference): Owner | null {
  const kind = ref.kind ?? "";
  const name = ref.name ?? "";
  if (!kind || !name) return null;
  if (kind === "ReplicaSet") return fromReplicaSet(name, input.labels?.["pod-template-hash"]);
  if (kind === "Job") return fromJob(name);
  // a static (mirror) pod is "owned" by its Node; the pod itself is the workload
  if (kind === "Node") return null;
  return { kind, name };
}

function fromLabels(input: OwnerInput): Owner | null {
  const labels = input.labels;
  if (!labels || input.kind !== "Pod") return null;
  const hash = labels["pod-template-hash"];
  if (hash && POD_SUFFIX.test(input.name)) {
    // `x-<hash>-<5 random>`: compare as strings, the label value is not trusted as a pattern
    const withoutSuffix = input.name.slice(0, -6);
    if (withoutSuffix.endsWith(`-${hash}`))
      return { kind: "Deployment", name: withoutSuffix.slice(0, -hash.length - 1) };
  }
  const job = labels["batch.kubernetes.io/job-name"] ?? labels["job-name"];
  if (job) return fromJob(job);
  if (labels["statefulset.kubernetes.io/pod-name"]) {
    const m = /^(.+)-\d+$/.exec(input.name);
    if (m?.[1]) return { kind: "StatefulSet", name: m[1] };
  }
  return null;
}

function fromName(kind: string, name: string): Owner {
  switch (kind) {
    case "ReplicaSet":
      return fromReplicaSet(name, undefined);
    case "Job":
      return fromJob(name);
    case "Pod": {
      const cron = CRON_POD.exec(name);
      if (cron?.[1]) return { kind: "CronJob", name: cron[1] };
      const rs = RS_POD.exec(name);
      if (rs?.[1]) return { kind: "Deployment", name: rs[1] };
      return { kind, name };
    }
    default:
      return { kind, name };
  }
}

/** The stable owner of a resource: ownerReferences first, then well-known labels, then the name's shape. */
export function resolveOwner(input: OwnerInput): Owner {
  const refs = input.ownerReferences;
  if (refs && refs.length > 0) {
    const ref = refs.find((r) => r.controller === true) ?? refs[0];
    const owner = ref ? fromOwnerReference(input, ref) : null;
    if (owner) return owner;
  }
  return fromLabels(input) ?? fromName(input.kind, input.name);
}
