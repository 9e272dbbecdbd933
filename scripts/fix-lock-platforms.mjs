// The npm registry reachable from this project's machines serves only the packages of its own platform, so
// `npm install` leaves other platforms' optional binaries (biome, msgpackr-extract…) out of package-lock.json
// and `npm ci` then refuses the lock. This adds the missing optional entries, with the os/cpu/libc npm needs
// to skip them on a machine they do not fit. Run it after `npm install` changes the lock:
//   node scripts/fix-lock-platforms.mjs
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const pkgs = lock.packages;
const OS = { android: "android", darwin: "darwin", linux: "linux", win32: "win32", freebsd: "freebsd" };
const CPU = ["arm64", "x64", "arm", "ia32", "ppc64", "s390x"];
let added = 0;
for (const [loc, meta] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${loc ? `${loc}/` : ""}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (pkgs[nested] || pkgs[hoisted]) continue;
    const parts = name.split("/").pop().split("-");
    const os = parts.find((p) => OS[p]);
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os || !cpu) continue; // not a platform binary: leave it to npm
    const entry = { version, cpu: [cpu], optional: true, os: [os] };
    if (meta.dev) entry.dev = true;
    if (parts.includes("musl")) entry.libc = ["musl"];
    else if (os === "linux") entry.libc = ["glibc"];
    pkgs[hoisted] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries`);
