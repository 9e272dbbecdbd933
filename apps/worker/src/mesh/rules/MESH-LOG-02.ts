import { ISTIO_DOCS, N } from "../nist.js";
import { logFormats } from "./telemetry.js";
import type { MeshRule } from "./types.js";
import { meshFix, meshRef } from "./util.js";

/** Fields an access log needs to reconstruct a request; each entry lists the operators that provide it. */
const NEEDED: Record<string, RegExp> = {
  method: /%REQ\(:METHOD\)%/i,
  path: /%REQ\([^)]*:?PATH\)%|%PATH%/i,
  status: /%RESPONSE_CODE%/i,
  bytes: /%BYTES_(SENT|RECEIVED)%/i,
  duration: /%DURATION%/i,
  peer: /%(DOWNSTREAM|UPSTREAM)_PEER_URI_SAN%|%DOWNSTREAM_REMOTE_ADDRESS(_WITHOUT_PORT)?%/i,
};

export function missingFields(text: string): string[] {
  return Object.entries(NEEDED)
    .filter(([, re]) => !re.test(text))
    .map(([k]) => k);
}

export const rule: MeshRule = {
  id: "MESH-LOG-02",
  title: "Custom access-log format misses fields needed for investigation",
  severity: "low",
  strategy: "MON-LOG",
  nist: [N.A45],
  needs: ["istio", "meshConfig"],
  rationale:
    "800-204A's monitoring section asks for access logs akin to the Common Log Format: method, path, status, " +
    "bytes, duration and the peer's identity. A custom format that drops them leaves logs that cannot answer " +
    "who did what (Istio's default format has all of them).",
  remediation: "Use the default format (unset accessLogFormat) or add the missing operators.",
  fix: () =>
    meshFix(null, {
      accessLogEncoding: "JSON",
      accessLogFormat:
        '{"start":"%START_TIME%","method":"%REQ(:METHOD)%","path":"%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%","status":"%RESPONSE_CODE%",' +
        '"bytes_sent":"%BYTES_SENT%","duration":"%DURATION%","peer":"%DOWNSTREAM_PEER_URI_SAN%","request_id":"%REQ(X-REQUEST-ID)%"}',
    }),
  references: [
    ISTIO_DOCS.meshConfig,
    "https://istio.io/latest/docs/tasks/observability/logs/access-log/#default-access-log-format",
  ],
  check(ctx) {
    const gaps = logFormats(ctx)
      .map((f) => ({ source: f.source, missing: missingFields(f.text) }))
      .filter((g) => g.missing.length > 0);
    if (gaps.length === 0) return [];
    return [
      {
        resource: meshRef(ctx),
        message: gaps.map((g) => `${g.source} lacks ${g.missing.join(", ")}`).join("; "),
        evidence: { formats: gaps },
      },
    ];
  },
};
