import { expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";
import { baselineMesh } from "../helpers.js";
import { type RuleCase, runCases } from "./run-cases.js";

const telemetry = (ns: string, spec: string) =>
  `apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: { name: mesh-default, namespace: ${ns} }\nspec:\n${spec}\n`;

const cases: RuleCase[] = [
  {
    id: "MESH-LOG-01",
    fire: { yaml: baselineMesh({ accessLogFile: "" }), resource: "ConfigMap/istio-system/istio" },
    quiet: {
      yaml: `${baselineMesh({ accessLogFile: "" })}---\n${telemetry("istio-system", "  accessLogging: [{ providers: [{ name: envoy }] }]")}`,
    },
  },
  {
    id: "MESH-LOG-02",
    fire: {
      yaml: baselineMesh({ accessLogFormat: 'accessLogFormat: "%START_TIME% %RESPONSE_CODE%\\n"' }),
      resource: "ConfigMap/istio-system/istio",
    },
    quiet: {
      yaml: baselineMesh({
        accessLogFormat:
          'accessLogFormat: "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %RESPONSE_CODE% %BYTES_SENT% %DURATION% %DOWNSTREAM_PEER_URI_SAN%\\n"',
      }),
    },
  },
  {
    id: "MESH-LOG-03",
    fire: {
      yaml: baselineMesh({ accessLogFormat: 'accessLogFormat: "%REQ(:METHOD)% %REQ(AUTHORIZATION)%\\n"' }),
      resource: "ConfigMap/istio-system/istio",
    },
    quiet: {
      yaml: baselineMesh({ accessLogFormat: 'accessLogFormat: "%REQ(:METHOD)% %REQ(X-REQUEST-ID)%\\n"' }),
    },
  },
  {
    id: "MESH-LOG-04",
    fire: {
      yaml: telemetry(
        "shop",
        '  accessLogging: [{ providers: [{ name: envoy }], filter: { expression: "response.code >= 400" } }]',
      ),
      resource: "Telemetry/shop/mesh-default",
    },
    quiet: { yaml: telemetry("shop", "  accessLogging: [{ providers: [{ name: envoy }] }]") },
  },
  {
    id: "MESH-TRC-01",
    fire: {
      yaml: baselineMesh({ defaultProviders: "defaultProviders: { metrics: [prometheus] }" }),
      resource: "ConfigMap/istio-system/istio",
    },
    quiet: {
      yaml: `${baselineMesh({ defaultProviders: "defaultProviders: { metrics: [prometheus] }" })}---\n${telemetry(
        "istio-system",
        "  tracing: [{ providers: [{ name: otel }], randomSamplingPercentage: 1 }]",
      )}`,
    },
  },
  {
    id: "MESH-MET-01",
    fire: {
      yaml: telemetry(
        "istio-system",
        "  metrics: [{ providers: [{ name: prometheus }], overrides: [{ disabled: true }] }]",
      ),
      resource: "Telemetry/istio-system/mesh-default",
    },
    quiet: {
      yaml: telemetry(
        "istio-system",
        "  metrics: [{ providers: [{ name: prometheus }], overrides: [{ match: { metric: REQUEST_SIZE }, disabled: true }] }]",
      ),
    },
  },
];

runCases(cases);

it("names only registered rules, so no case silently tests nothing", () => {
  expect(cases.map((c) => c.id).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
});
