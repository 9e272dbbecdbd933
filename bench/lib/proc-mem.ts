import { readFileSync, writeFileSync } from "node:fs";

/** Peak resident memory of a process since start or the last resetPeak (Linux VmHWM), in MiB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Reset the peak RSS counter of a process (Linux: write 5 to clear_refs); no-op where not permitted. */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // not permitted: the peak then includes earlier phases
  }
}
