/**
 * One key per Trivy check across versions: `KSV001` / `AVD-KSV-0001` / `KSV-0001` → `KSV-0001`,
 * `KCV0001` → `KCV-0001`, `DS002` → `DS-0002`, `AVD-AWS-0086` → `AWS-0086`, `KSV01010` → `KSV-01010`.
 * Numbers are padded to four digits and never shortened (KSV-01010 and KSV-0110 are different checks).
 */
const CHECK_ID = /^(?:AVD-)?([A-Z][A-Z0-9]*?)-?(\d+)$/i;

// reports repeat a handful of ids thousands of times: normalise each distinct raw id once
const cache = new Map<string, string>();

export function normalizeCheckId(raw: string): string {
  let id = cache.get(raw);
  if (id === undefined) {
    const m = CHECK_ID.exec(raw.trim());
    id = m?.[1] && m[2] ? `${m[1].toUpperCase()}-${m[2].padStart(4, "0")}` : raw.trim();
    if (cache.size < 10_000) cache.set(raw, id);
  }
  return id;
}
