import { gzipSync } from "node:zlib";
import { inspectBody } from "./inspect.js";

/**
 * A report of the shape uploads have (an envelope around resources with long descriptions, short keys,
 * numbers, literals, escapes and non-ASCII text), about 2 MB: enough iterations for V8 to optimise the
 * scanner's loops, gunzip and hashing before the first real upload arrives.
 */
function sample(): Buffer {
  const description =
    'A flaw was found in the \\"parser\\" of the library: a crafted input may cause an out-of-bounds read — ' +
    "see https://example.invalid/advisory for details.\\n".repeat(4);
  const finding = (i: number) =>
    `{"VulnerabilityID":"CVE-2026-${i}","PkgName":"lib${i % 97}","InstalledVersion":"1.${i % 10}.0",` +
    `"Severity":"${["LOW", "MEDIUM", "HIGH", "CRITICAL"][i % 4]}","Description":"${description}",` +
    `"CVSS":{"nvd":{"V3Score":${(i % 100) / 10}}},"Fixed":${i % 2 === 0},"References":null}`;
  const resources: string[] = [];
  for (let r = 0; r < 100; r++) {
    const items = Array.from({ length: 20 }, (_, i) => finding(r * 20 + i)).join(",");
    resources.push(
      `{"Namespace":"ns-${r % 7}","Kind":"Deployment","Name":"app-${r}","Results":[{"Target":"image:${r}",` +
        `"Vulnerabilities":[${items}]}]}`,
    );
  }
  return Buffer.from(
    `{"schemaVersion":1,"source":"trivy-k8s","cluster":"warm-up","collectedAt":"2026-01-01T00:00:00Z",` +
      `"report":{"ClusterName":"warm-up","Resources":[${resources.join(",")}]}}`,
  );
}

/** Inspect the sample a few times, gzipped and not; true when every pass accepted it (as it should). */
export async function warmUp(): Promise<boolean> {
  const json = sample();
  const gz = gzipSync(json, { level: 1 });
  const limits = { maxDecompressedBytes: 64 << 20, maxDepth: 64, maxEnvelopeBytes: 1 << 20 };
  let ok = true;
  for (let i = 0; i < 3; i++) {
    ok = (await inspectBody({ body: gz, gzip: true, ...limits })).ok && ok;
    ok = (await inspectBody({ body: json, gzip: false, ...limits })).ok && ok;
  }
  return ok;
}
