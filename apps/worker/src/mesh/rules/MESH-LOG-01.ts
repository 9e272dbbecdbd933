import { str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import { defaultProviders, entries, meshTelemetries, providerNames } from "./telemetry.js";
import type { MeshRule } from "./types.js";
import { meshRef, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-LOG-01",
  title: "Access logging off mesh-wide",
  severity: "medium",
  strategy: "MON-LOG",
  nist: [N.SS5, N.A45],
  needs: ["istio"],
  rationale:
    "Without access logs there is no record of who called what: attacks, lateral movement and policy denials " +
    "leave no trace in the proxies (MS-SS-5 security monitoring).",
  remediation:
    "Enable access logging for the mesh with a root-namespace Telemetry resource (or meshConfig.accessLogFile: /dev/stdout).",
  fix: (v) =>
    y({
      apiVersion: "telemetry.istio.io/v1",
      kind: "Telemetry",
      metadata: { name: "mesh-default", namespace: v.evidence?.rootNamespace ?? "istio-system" },
      spec: { accessLogging: [{ providers: [{ name: "envoy" }] }] },
    }),
  references: [ISTIO_DOCS.telemetry, "https://istio.io/latest/docs/tasks/observability/logs/access-log/"],
  check(ctx) {
    const tel = meshTelemetries(ctx);
    const logging = entries(tel, "accessLogging");
    const disabled = tel.find((t) =>
      entries([t], "accessLogging").some((e) => e.disabled === true && !e.match),
    );
    if (disabled) {
      return [
        {
          resource: objRef(disabled),
          message: "mesh-wide Telemetry disables access logging",
          evidence: { rootNamespace: ctx.root },
        },
      ];
    }
    if (
      logging.some(
        (e) =>
          e.disabled !== true &&
          (providerNames(e).length > 0 || defaultProviders(ctx, "accessLogging").length > 0),
      )
    ) {
      return [];
    }
    if (!ctx.inv.cp.meshSource) {
      ctx.partial(
        "MESH-LOG-01",
        "no mesh config and no mesh-wide Telemetry enabling access logs in the List",
      );
      return [];
    }
    if (str(ctx.inv.cp.mesh.accessLogFile)?.trim() || defaultProviders(ctx, "accessLogging").length > 0)
      return [];
    return [
      {
        resource: meshRef(ctx),
        message: "no accessLogFile, no default access-log provider and no mesh-wide Telemetry accessLogging",
        evidence: { rootNamespace: ctx.root },
      },
    ];
  },
};
