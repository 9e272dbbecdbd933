import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The console's static files, served by Bulwark itself (no CDN) under content-hashed names, so they can be
 * cached for a year and a new build is fetched at once. Read once at start-up: from `assets/` next to this file
 * when running from source, from `console-assets/` next to the bundle in the image (scripts/build.ts copies
 * them there, uPlot's included).
 */
export interface Asset {
  name: string;
  body: Buffer;
  type: string;
  etag: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const DIRS = [join(here, "assets"), join(here, "console-assets")];
const require = createRequire(import.meta.url);

/** logical name → where it comes from: a file of ours, or a file of an npm package */
export const ASSET_SOURCES: Record<string, { file: string } | { pkg: string }> = {
  "console.css": { file: "console.css" },
  "console.js": { file: "console.js" },
  "uPlot.min.css": { pkg: "uplot/dist/uPlot.min.css" },
  "uPlot.iife.min.js": { pkg: "uplot/dist/uPlot.iife.min.js" },
};

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

function locate(name: string): string {
  const source = ASSET_SOURCES[name];
  for (const dir of DIRS) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  if (source && "pkg" in source) return require.resolve(source.pkg);
  throw new Error(`console asset ${name} not found in ${DIRS.join(", ")}`);
}

function load(): { byLogical: Map<string, Asset>; byName: Map<string, Asset> } {
  const byLogical = new Map<string, Asset>();
  const byName = new Map<string, Asset>();
  for (const logical of Object.keys(ASSET_SOURCES)) {
    const body = readFileSync(locate(logical));
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    const dot = logical.lastIndexOf(".");
    const name = `${logical.slice(0, dot)}.${hash}${logical.slice(dot)}`;
    const asset = {
      name,
      body,
      type: TYPES[logical.slice(dot + 1)] ?? "application/octet-stream",
      etag: `"${hash}"`,
    };
    byLogical.set(logical, asset);
    byName.set(name, asset);
  }
  return { byLogical, byName };
}

let loaded: ReturnType<typeof load> | undefined;
const assets = () => {
  loaded ??= load();
  return loaded;
};

/** The URL of an asset by its logical name, e.g. assetUrl("console.css") → /app/assets/console.3f2a….css */
export function assetUrl(logical: string): string {
  const a = assets().byLogical.get(logical);
  if (!a) throw new Error(`unknown console asset ${logical}`);
  return `/app/assets/${a.name}`;
}

export function assetByName(name: string): Asset | undefined {
  return assets().byName.get(name);
}
