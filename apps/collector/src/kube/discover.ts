/**
 * Which version of each catalog entry the cluster serves, found the way kubectl does: /api and /apis for the
 * groups and their preferred versions, then /api/v1 or /apis/<group>/<version> for the resources. The
 * preferred version wins when the collector understands it; otherwise the first understood version served.
 */
import type { CatalogEntry } from "./catalog.js";
import { type ApiResourceInfo, type GroupInfo, type KubeReader, kubeReason } from "./client.js";

export type Resolution =
  | { ok: true; version: string; namespaced: boolean }
  | { ok: false; reason: string; status: "absent" | "forbidden" | "failed" };

function candidateVersions(entry: CatalogEntry, group: GroupInfo): string[] {
  const understood = entry.versions ?? group.versions;
  const served = understood.filter((v) => group.versions.includes(v));
  const preferred = group.preferredVersion;
  if (preferred && served.includes(preferred)) return [preferred, ...served.filter((v) => v !== preferred)];
  return served;
}

export async function resolveEntries(
  reader: KubeReader,
  entries: readonly CatalogEntry[],
): Promise<Map<CatalogEntry, Resolution>> {
  const out = new Map<CatalogEntry, Resolution>();
  let groups: GroupInfo[];
  try {
    groups = await reader.groups();
  } catch (e) {
    for (const entry of entries)
      out.set(entry, { ok: false, status: "failed", reason: `discovery failed: ${kubeReason(e)}` });
    return out;
  }
  const cache = new Map<string, Promise<ApiResourceInfo[]>>();
  const resourcesOf = (group: string, version: string) => {
    const key = `${group}/${version}`;
    let p = cache.get(key);
    if (!p) {
      p = reader.resources(group, version);
      cache.set(key, p);
    }
    return p;
  };
  for (const entry of entries) {
    const group = groups.find((g) => g.name === entry.group);
    if (!group) {
      out.set(entry, { ok: false, status: "absent", reason: `API group ${entry.group} is not served` });
      continue;
    }
    const versions = candidateVersions(entry, group);
    let resolution: Resolution = {
      ok: false,
      status: "absent",
      reason: `${entry.group || "core"} serves none of the versions the collector reads (${(entry.versions ?? group.versions).join(", ")})`,
    };
    for (const version of versions) {
      try {
        const r = (await resourcesOf(entry.group, version)).find((x) => x.name === entry.resource);
        if (r?.verbs.includes("list")) {
          resolution = { ok: true, version, namespaced: r.namespaced };
          break;
        }
        resolution = {
          ok: false,
          status: "absent",
          reason: `not served in ${entry.group || "core"}/${version}`,
        };
      } catch (e) {
        // an aggregated API that is down answers 503 for its discovery; other groups are unaffected
        resolution = {
          ok: false,
          status: "failed",
          reason: `discovery of ${entry.group}/${version}: ${kubeReason(e)}`,
        };
      }
    }
    out.set(entry, resolution);
  }
  return out;
}
