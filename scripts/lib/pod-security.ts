/**
 * The Kubernetes Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/,
 * version "latest" as of 1.30), evaluated on a rendered pod spec the way Pod Security admission would: the
 * baseline controls, and for restricted the baseline ones plus its own. Returns one line per violation.
 * scripts/check-charts.ts holds every pod the charts render to the level of the namespace it lands in.
 */
export type Level = "privileged" | "baseline" | "restricted";
type Rec = Record<string, unknown>;

const BASELINE_CAPS = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);
const RESTRICTED_VOLUMES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

const rec = (v: unknown): Rec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

function containersOf(spec: Rec): Rec[] {
  return [...arr(spec.initContainers), ...arr(spec.containers), ...arr(spec.ephemeralContainers)];
}

function baseline(spec: Rec, annotations: Record<string, string>, out: string[]) {
  const podSc = rec(spec.securityContext);
  for (const ns of ["hostNetwork", "hostPID", "hostIPC"])
    if (spec[ns] === true) out.push(`host namespaces: ${ns}`);
  if (rec(podSc.windowsOptions).hostProcess === true) out.push("hostProcess: pod");
  for (const v of arr(spec.volumes)) if (v.hostPath) out.push(`hostPath volume ${v.name}`);
  for (const s of arr(podSc.sysctls))
    if (!SAFE_SYSCTLS.has(String(s.name))) out.push(`sysctl ${s.name} is not in the safe set`);
  const podSel = rec(podSc.seLinuxOptions);
  if (!SELINUX_TYPES.has(String(podSel.type ?? ""))) out.push(`SELinux type ${podSel.type}`);
  if (podSel.user || podSel.role) out.push("SELinux user/role set on the pod");
  if (rec(podSc.seccompProfile).type === "Unconfined") out.push("seccomp Unconfined on the pod");
  if (rec(podSc.appArmorProfile).type === "Unconfined") out.push("AppArmor Unconfined on the pod");
  for (const [k, v] of Object.entries(annotations))
    if (
      k.startsWith("container.apparmor.security.beta.kubernetes.io/") &&
      v !== "runtime/default" &&
      !v.startsWith("localhost/")
    )
      out.push(`AppArmor annotation ${k}: ${v}`);
  for (const c of containersOf(spec)) {
    const at = `container ${c.name}`;
    const sc = rec(c.securityContext);
    if (sc.privileged === true) out.push(`${at}: privileged`);
    if (rec(sc.windowsOptions).hostProcess === true) out.push(`${at}: hostProcess`);
    for (const cap of arr(rec(sc.capabilities).add) as unknown as string[])
      if (!BASELINE_CAPS.has(cap)) out.push(`${at}: adds capability ${cap}`);
    for (const p of arr(c.ports))
      if (p.hostPort && p.hostPort !== 0) out.push(`${at}: hostPort ${p.hostPort}`);
    const sel = rec(sc.seLinuxOptions);
    if (!SELINUX_TYPES.has(String(sel.type ?? ""))) out.push(`${at}: SELinux type ${sel.type}`);
    if (sel.user || sel.role) out.push(`${at}: SELinux user/role`);
    if (sc.procMount !== undefined && sc.procMount !== "Default")
      out.push(`${at}: procMount ${sc.procMount}`);
    if (rec(sc.seccompProfile).type === "Unconfined") out.push(`${at}: seccomp Unconfined`);
    if (rec(sc.appArmorProfile).type === "Unconfined") out.push(`${at}: AppArmor Unconfined`);
  }
}

function restricted(spec: Rec, out: string[]) {
  const podSc = rec(spec.securityContext);
  for (const v of arr(spec.volumes)) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${v.name}: type ${type} is not allowed`);
  }
  if (podSc.runAsUser === 0) out.push("runAsUser 0 on the pod");
  const podSeccomp = rec(podSc.seccompProfile).type;
  for (const c of containersOf(spec)) {
    const at = `container ${c.name}`;
    const sc = rec(c.securityContext);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation must be false`);
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) out.push(`${at}: runAsNonRoot must be true`);
    if (sc.runAsUser === 0) out.push(`${at}: runAsUser 0`);
    const seccomp = rec(sc.seccompProfile).type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
      out.push(`${at}: seccompProfile must be RuntimeDefault or Localhost`);
    const caps = rec(sc.capabilities);
    if (!(arr(caps.drop) as unknown as string[]).includes("ALL"))
      out.push(`${at}: capabilities must drop ALL`);
    for (const cap of arr(caps.add) as unknown as string[])
      if (cap !== "NET_BIND_SERVICE") out.push(`${at}: may add only NET_BIND_SERVICE, adds ${cap}`);
  }
}

/** What stops a pod spec from being admitted at `level` (empty: admitted). */
export function podSecurityViolations(
  spec: Rec,
  level: Level,
  annotations: Record<string, string> = {},
): string[] {
  const out: string[] = [];
  if (level === "privileged") return out;
  baseline(spec, annotations, out);
  if (level === "restricted") restricted(spec, out);
  return out;
}
