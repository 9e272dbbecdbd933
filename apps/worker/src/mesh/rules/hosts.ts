/** A DestinationRule-style host pattern covers a host: equal, `*`, or a `*.suffix` wildcard. */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host || pattern === "*") return true;
  return pattern.startsWith("*.") && host.endsWith(pattern.slice(1));
}

/**
 * Items keyed by host pattern: exact hosts in a map, wildcards in a (short) list, so a lookup costs one map
 * probe plus the wildcards instead of a scan of every item — the difference between O(services × rules) and
 * O(services) on a large mesh.
 */
export class HostIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly wild: { pattern: string; item: T }[] = [];

  add(pattern: string, item: T): void {
    if (pattern === "*" || pattern.startsWith("*.")) this.wild.push({ pattern, item });
    else this.exact.set(pattern, [...(this.exact.get(pattern) ?? []), item]);
  }

  /** Items whose pattern covers `host`. */
  match(host: string): T[] {
    const out = [...(this.exact.get(host) ?? [])];
    for (const w of this.wild) if (hostCovers(w.pattern, host)) out.push(w.item);
    return out;
  }
}
