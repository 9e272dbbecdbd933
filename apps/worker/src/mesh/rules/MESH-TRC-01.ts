import { num, rec } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import { defaultProviders, entries, meshTelemetries, providerNames } from "./telemetry.js";
import type { MeshRule } from "./types.js";
import { meshRef, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-TRC-01",
  title: "Distributed tracing off mesh-wide",
  severity: "low",
  strategy: "MON-TRC",
  nist: [N.SS5, N.A45],
  needs: ["istio"],
  rationale:
    "Traces tie a request's hops together; without them an investigation cannot follow a malicious request " +
    "across services (MS-SS-5).",
  remediation:
    "Configure a tracing provider (extensionProviders) and enable it with a root-namespace Telemetry and a non-zero sampling rate.",
  fix: (v) =>
    y({
      apiVersion: "telemetry.istio.io/v1",
      kind: "Telemetry",
      metadata: { name: "mesh-default", namespace: v.evidence?.rootNamespace ?? "istio-system" },
      spec: { tracing: [{ providers: [{ name: "otel-tracing" }], randomSamplingPercentage: 1 }] },
    }),
  references: [ISTIO_DOCS.telemetry, "https://istio.io/latest/docs/tasks/observability/distributed-tracing/"],
  check(ctx) {
    const tel = meshTelemetries(ctx);
    const tracing = entries(tel, "tracing");
    const off = tel.find((t) =>
      entries([t], "tracing").some(
        (e) => e.disableSpanReporting === true || num(e.randomSamplingPercentage) === 0,
      ),
    );
    const evidence = { rootNamespace: ctx.root };
    if (off)
      return [
        { resource: objRef(off), message: "mesh-wide Telemetry disables tracing or samples 0%", evidence },
      ];
    if (tracing.some((e) => providerNames(e).length > 0 || defaultProviders(ctx, "tracing").length > 0))
      return [];
    if (!ctx.inv.cp.meshSource) {
      ctx.partial("MESH-TRC-01", "no mesh config and no mesh-wide Telemetry tracing in the List");
      return [];
    }
    const mesh = ctx.inv.cp.mesh;
    const legacy = rec(rec(mesh.defaultConfig).tracing);
    const legacyOn =
      Object.keys(legacy).length > 0 && num(legacy.sampling) !== 0 && mesh.enableTracing !== false;
    if (defaultProviders(ctx, "tracing").length > 0 || legacyOn) return [];
    return [{ resource: meshRef(ctx), message: "no tracing provider is enabled for the mesh", evidence }];
  },
};
