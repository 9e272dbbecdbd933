import { ISTIO_DOCS, N } from "../nist.js";
import { logFormats } from "./telemetry.js";
import type { MeshRule } from "./types.js";
import { meshFix, meshRef } from "./util.js";

const SECRET_HEADERS =
  /%(REQ|RESP|TRAILER)\((authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token)[^)]*\)%/gi;

export const rule: MeshRule = {
  id: "MESH-LOG-03",
  title: "Access log format records credentials",
  severity: "medium",
  strategy: "MON-LOG",
  also: ["INT-SECRET"],
  nist: [N.A45, N.SS1],
  needs: ["istio", "meshConfig"],
  rationale:
    "Logging Authorization, Cookie or API-key headers copies bearer credentials into the log pipeline, where " +
    "everyone with log access can replay them.",
  remediation:
    "Remove credential headers from the format; log a request id and the authenticated principal instead.",
  fix: () =>
    meshFix(null, {
      accessLogFormat:
        '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%" %RESPONSE_CODE% %BYTES_SENT% %DURATION% %DOWNSTREAM_PEER_URI_SAN% %REQ(X-REQUEST-ID)%\n',
    }),
  references: [ISTIO_DOCS.meshConfig],
  check(ctx) {
    const hits = logFormats(ctx)
      .map((f) => ({
        source: f.source,
        operators: [...new Set([...f.text.matchAll(SECRET_HEADERS)].map((m) => m[0]))],
      }))
      .filter((h) => h.operators.length > 0);
    if (hits.length === 0) return [];
    return [
      {
        resource: meshRef(ctx),
        message: hits.map((h) => `${h.source} logs ${h.operators.join(", ")}`).join("; "),
        evidence: { formats: hits },
      },
    ];
  },
};
