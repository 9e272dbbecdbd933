import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fingerprint } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseMeshConfig } from "../../apps/worker/src/mesh/index.js";
import { expectWellFormed, FIXTURES } from "./corpus.js";

/**
 * Verdicts derived by reading each YAML (not by running the analyzer): whether Istio is present, findings
 * that must appear (`RULE` or `RULE Kind/namespace/name`) and rules that must stay quiet. Objects without a
 * namespace are in `default`, as kubectl would apply them; the root namespace is istio-system unless the
 * file's mesh config says otherwise.
 */
const EXPECTED: Record<string, { present: boolean; fires?: string[]; quiet?: string[] }> = {
  "all_on.golden-show-in-gh-pull-request.yaml": {
    present: true,
    fires: ["MESH-EGR-01 ConfigMap/istio-system/istio", "MESH-PORT-01 Deployment/istio-system/istiod"],
    quiet: ["MESH-COV-02"],
  },
  "ambient-peer-authn-disable-in.yaml": {
    present: true,
    fires: ["MESH-MTLS-02 PeerAuthentication/default/disable-mtls", "MESH-MTLS-01"],
  },
  "ambient-peer-authn-permissive-root-strict-namespace-permissive-workload-in.yaml": {
    present: true,
    fires: [
      "MESH-MTLS-01 PeerAuthentication/istio-system/default-mesh",
      "MESH-MTLS-02 PeerAuthentication/foo/workload",
    ],
  },
  "ambient-peer-authn-strict-and-disable-port-mtls-in.yaml": {
    present: true,
    fires: ["MESH-MTLS-02 PeerAuthentication/default/strict-and-disable-mtls"],
  },
  "analyzer-common-meshconfig.yaml": {
    present: true,
    fires: ["MESH-EGR-01 MeshConfig/mesh", "MESH-LOG-01"],
    quiet: ["MESH-IMG-01"],
  },
  "analyzer-common-sidecar-injector-configmap.yaml": {
    present: true,
    fires: ["MESH-MTLS-01"],
    quiet: ["MESH-TLS-06"],
  },
  "authn.yaml": {
    present: true,
    fires: ["MESH-MTLS-02 PeerAuthentication/default/default"],
    quiet: ["MESH-MTLS-03"],
  },
  "authorizationpolicies.yaml": {
    present: true,
    fires: [
      "MESH-AUTHZ-03 AuthorizationPolicy/httpbin/httpbin-bogus-not-ns",
      "MESH-COV-02 Deployment/httpbin/httpbin",
      "MESH-MTLS-04 ServiceEntry/httpbin/istio",
    ],
    quiet: ["MESH-AUTHZ-01", "MESH-AUTHZ-02"],
  },
  "authz-http-allow-empty-rule-in.yaml": {
    present: true,
    fires: ["MESH-AUTHZ-02 AuthorizationPolicy/foo/allow-all"],
  },
  "authz-http-allow-full-rule-in.yaml": {
    present: true,
    fires: [
      "MESH-AUTHZ-03 AuthorizationPolicy/foo/httpbin-1",
      "MESH-AUTHZ-04 AuthorizationPolicy/foo/httpbin-1",
    ],
    quiet: ["MESH-AUTHZ-02"],
  },
  "authz-http-allow-nil-rule-in.yaml": { present: true, quiet: ["MESH-AUTHZ-02", "MESH-AUTHZ-03"] },
  "authz-http-audit-full-rule-in.yaml": { present: true, quiet: ["MESH-AUTHZ-02"] },
  "authz-http-custom-simple-http-in.yaml": { present: true, quiet: ["MESH-AUTHZ-06", "MESH-AUTHZ-02"] },
  "authz-http-deny-and-allow-in.yaml": {
    present: true,
    fires: [
      "MESH-AUTHZ-04 AuthorizationPolicy/foo/httpbin-deny",
      "MESH-AUTHZ-04 AuthorizationPolicy/foo/httpbin-allow",
    ],
  },
  "authz-http-deny-empty-rule-in.yaml": { present: true, quiet: ["MESH-AUTHZ-02", "MESH-AUTHZ-03"] },
  "authz-http-dry-run-mix-in.yaml": { present: true, quiet: ["MESH-AUTHZ-03", "MESH-AUTHZ-04"] },
  "authz-http-multiple-policies-in.yaml": { present: true, fires: ["MESH-AUTHZ-01"] },
  "authz-tcp-deny-both-http-tcp-in.yaml": {
    present: true,
    fires: ["MESH-AUTHZ-03 AuthorizationPolicy/foo/httpbin-deny"],
  },
  "blocked-cidrs-configured.yaml": {
    present: true,
    fires: [
      "MESH-AUTHN-01 RequestAuthentication/default/jwt-auth",
      "MESH-PORT-01 Deployment/istio-system/istiod",
    ],
    quiet: ["MESH-CA-03"],
  },
  "condition-analyzer.yaml": { present: true, fires: ["MESH-AUTHZ-01"], quiet: ["MESH-AUTHZ-02"] },
  "conflicting-gateways.yaml": {
    present: true,
    fires: ["MESH-GW-02 Gateway/default/alpha", "MESH-GW-03 Gateway/default/beta"],
    quiet: ["MESH-GW-01"],
  },
  "deprecation.yaml": {
    present: true,
    fires: ["MESH-EGR-01 Sidecar/default/no-selector", "MESH-ALPHA-01 QuotaSpec/istio-system/request-count"],
  },
  "destination-rule-all.yaml": {
    present: true,
    fires: ["MESH-LB-01 DestinationRule/testns/destall"],
    quiet: ["MESH-MTLS-03"],
  },
  "destination-rule-ssl.yaml": { present: true, fires: ["MESH-TLS-05"], quiet: ["MESH-MTLS-03"] },
  "destinationrule-compound-mutual-simple.yaml": {
    present: true,
    fires: ["MESH-MTLS-03 DestinationRule/default/db-mtls"],
  },
  "destinationrule-mutual-destination.yaml": {
    present: true,
    fires: ["MESH-TLS-05 DestinationRule/default/db-mtls"],
  },
  "destinationrule-simple-destination-credentialname.yaml": {
    present: true,
    fires: ["MESH-MTLS-03"],
    quiet: ["MESH-TLS-05"],
  },
  "destinationrule-simple-port.yaml": {
    present: true,
    fires: ["MESH-MTLS-03 DestinationRule/default/db-tls"],
  },
  "destinationrule-with-ca.yaml": {
    present: true,
    fires: ["MESH-MTLS-03 DestinationRule/default/db-mtls"],
    quiet: ["MESH-TLS-05"],
  },
  "egressgateway.yaml": {
    present: true,
    fires: ["MESH-GW-03 Gateway/testns/istio-egressgateway"],
    quiet: ["MESH-GW-02", "MESH-RL-01"],
  },
  "envoy-filter-add-operation.yaml": { present: true, fires: ["MESH-MTLS-01"], quiet: ["MESH-ALPHA-01"] },
  "envoy-filter-filterchain.yaml": { present: true, quiet: ["MESH-ALPHA-01"] },
  "envoy-filter-patch-operation.yaml": { present: true, quiet: ["MESH-ALPHA-01"] },
  "envoy-filter-remove-operation.yaml": { present: true, quiet: ["MESH-ALPHA-01"] },
  "envoy-filter-replace-operation.yaml": { present: true, quiet: ["MESH-ALPHA-01"] },
  "external_services.yaml": {
    present: true,
    fires: [
      "MESH-MTLS-04 ServiceEntry/testns/external-svc-extsvc",
      "MESH-EGR-03 ServiceEntry/testns/external-svc-dst",
    ],
  },
  "gateway-all.yaml": {
    present: true,
    fires: ["MESH-RL-01 Gateway/testns/my-gateway"],
    quiet: ["MESH-GW-01", "MESH-GW-02"],
  },
  "gateway-custom-ingressgateway.yaml": {
    present: true,
    fires: [
      "MESH-GW-01 Gateway/default/httpbin-gateway",
      "MESH-GW-02 Gateway/default/httpbin-gateway",
      "MESH-RL-01 Pod/default/my-ingressgateway-1234",
    ],
    quiet: ["MESH-SC-01", "MESH-ID-01"],
  },
  "gateway-duplicate-certificate.yaml": {
    present: true,
    fires: ["MESH-GW-02 Gateway/default/gateway-03-test-06"],
    quiet: ["MESH-GW-01"],
  },
  "gatewayapi-http.yaml.golden": { present: true, fires: ["MESH-RT-01", "MESH-GW-02"] },
  "image-auto.yaml": {
    present: true,
    fires: ["MESH-COV-01 Namespace/non-injected/non-injected"],
    quiet: ["MESH-COV-01 Namespace/injected/injected", "MESH-COV-02"],
  },
  "injection.yaml": {
    present: true,
    fires: [
      "MESH-COV-01 Namespace/bar/bar",
      "MESH-COV-02 Pod/default/podinjectiondisabled",
      "MESH-COV-02 Pod/default/noninjectedpod",
      "MESH-COV-04 Pod/default/noninjectedpodhostnetwork",
    ],
    quiet: ["MESH-COV-01 Namespace/ambient/ambient", "MESH-COV-02 Pod/default/injectedpod"],
  },
  "istiooperator-input-pilot_merge_meshconfig.yaml": {
    present: true,
    fires: ["MESH-MTLS-01 Namespace/istio-control/istio-control", "MESH-LOG-02"],
    quiet: ["MESH-EGR-01"],
  },
  "k8sgateway-selector.yaml": {
    present: true,
    fires: ["MESH-AUTHN-01 RequestAuthentication/default/ra-ineffective"],
    quiet: ["MESH-COV-02"],
  },
  "kiali-authz_policy_requires_mtls.yaml": {
    present: true,
    fires: [
      "MESH-AUTHZ-04 AuthorizationPolicy/bookinfo/policy-0",
      "MESH-AUTHZ-04 AuthorizationPolicy/bookinfo/policy-9",
      "MESH-AUTHZ-03 AuthorizationPolicy/bookinfo/policy-1",
    ],
    quiet: [
      "MESH-AUTHZ-04 AuthorizationPolicy/bookinfo/policy-2",
      "MESH-AUTHZ-04 AuthorizationPolicy/bookinfo/policy-6",
    ],
  },
  "kiali-mtls_enabled_checker_101.yaml": {
    present: true,
    fires: ["MESH-MTLS-03 DestinationRule/istio-system/enable-mtls"],
  },
  "kiali-mtls_enabled_checker_23.yaml": {
    present: true,
    fires: [
      "MESH-MTLS-01 PeerAuthentication/istio-system/default",
      "MESH-AUTHZ-04 AuthorizationPolicy/bookinfo/policy",
    ],
  },
  "kiali-mtls_enabled_checker_71.yaml": {
    present: true,
    fires: ["MESH-MTLS-02 PeerAuthentication/bookinfo/default"],
  },
  "mesh-with-automtls.yaml": { present: true, fires: ["MESH-EGR-01 MeshConfig/mesh"] },
  "misannotated.yaml": { present: false, quiet: ["MESH-COV-03", "MESH-MTLS-01"] },
  "networkpolicy-popeye-1.yaml": { present: false },
  "networkpolicy-popeye-3.yaml": { present: false },
  "networkpolicy-popeye-allow-all-egr.yaml": { present: false },
  "networkpolicy-popeye-deny-all-egr.yaml": { present: false },
  "networkpolicy-popeye-deny-all-ing.yaml": { present: false },
  "networkpolicy-popeye-deny-all.yaml": { present: false },
  "networkpolicy_enabled.golden.yaml": { present: false },
  "peer-authn-strict.yaml": { present: true, fires: ["MESH-MTLS-01"], quiet: ["MESH-MTLS-02"] },
  "pilot_default.golden.yaml": {
    present: true,
    fires: ["MESH-PORT-01 Deployment/istio-system/istiod", "MESH-IMG-01 Deployment/istio-system/istiod"],
    quiet: ["MESH-RBAC-01", "MESH-RBAC-03", "MESH-CA-03"],
  },
  "pilot_merge_meshconfig.golden.yaml": {
    present: true,
    fires: ["MESH-LOG-02 ConfigMap/istio-system/istio", "MESH-MTLS-01 Namespace/istio-control/istio-control"],
    quiet: ["MESH-EGR-01"],
  },
  "se-example.yaml": {
    present: true,
    fires: ["MESH-MTLS-04 ServiceEntry/seexamples/external-svc-dns"],
    quiet: ["MESH-MTLS-04 ServiceEntry/seexamples/external-svc-https"],
  },
  "serviceentry-conflicting-exportto.yaml": { present: true, fires: ["MESH-EGR-03"] },
  "serviceentry-missing-addresses-protocol.yaml": {
    present: true,
    fires: ["MESH-EGR-03 ServiceEntry/default/service-entry-test-01"],
  },
  "sidecar-default-selector.yaml": {
    present: true,
    fires: ["MESH-COV-01 Namespace/ns1/ns1"],
    quiet: ["MESH-COV-01 Namespace/ns-ambient/ns-ambient", "MESH-COV-02"],
  },
  "sidecar-selector.yaml": { present: true, fires: ["MESH-MTLS-01"], quiet: ["MESH-EGR-01"] },
  "traffic-annotations.yaml": { present: false, quiet: ["MESH-COV-03"] },
  "traffic-annotations.yaml.injected": {
    present: true,
    fires: ["MESH-COV-03 Deployment/default/traffic", "MESH-CNI-01"],
  },
  "validation-authz-valid.yaml": { present: true, fires: ["MESH-AUTHZ-03 AuthorizationPolicy/default/full"] },
  "validation-destinationrule-valid.yaml": { present: true, quiet: ["MESH-MTLS-03"] },
  "validation-envoyfilter-valid.yaml": { present: true, quiet: ["MESH-ALPHA-01"] },
  "validation-peerauth-valid.yaml": {
    present: true,
    fires: ["MESH-MTLS-02 PeerAuthentication/default/full"],
  },
  "validation-reqauth-valid.yaml": {
    present: true,
    fires: [
      "MESH-AUTHN-04 RequestAuthentication/default/full",
      "MESH-AUTHN-01 RequestAuthentication/default/full",
    ],
  },
  "validation-serviceentry-valid.yaml": { present: true, fires: ["MESH-ALPHA-01"] },
  "virtual-service-all.yaml": { present: true, fires: ["MESH-RT-01 VirtualService/testns/all"] },
  "virtualservice_destinationhosts.yaml": {
    present: true,
    fires: ["MESH-EGR-02 ServiceEntry/default-ignore/service-entry-ignore"],
  },
  "virtualservice_gateways.yaml": { present: true, fires: ["MESH-GW-03 Gateway/another/crossnamespace-gw"] },
  "webhook.yaml": { present: true, fires: ["MESH-MTLS-01"], quiet: ["MESH-PORT-01"] },
};

const dir = join(FIXTURES, "istio");
const files = readdirSync(dir).sort();
const ctx = { source: "mesh-config" as const, collectedAt: new Date() };

function listOf(text: string) {
  const items = parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d) => d !== null && d !== undefined);
  return { apiVersion: "v1", kind: "List", items };
}

const key = (f: {
  ruleId: string;
  resource: { kind: string | null; namespace: string | null; name: string | null };
}) => `${f.ruleId} ${[f.resource.kind, f.resource.namespace, f.resource.name].filter(Boolean).join("/")}`;

describe("istio corpus", () => {
  it(`finds the fixture set at ${dir}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it("has a verdict table entry for every file", () => {
    expect(files.filter((f) => !EXPECTED[f])).toEqual([]);
  });

  describe.each(files)("%s", (file) => {
    const result = parseMeshConfig(listOf(readFileSync(join(dir, file), "utf8")), ctx);
    const keys = result.findings.map(key);
    const expected = EXPECTED[file] ?? { present: false };

    it("is analysed into well-formed findings with unique identities", () => {
      for (const f of result.findings) expectWellFormed("mesh-config", f);
      const prints = result.findings.map((f) => fingerprint("mesh-config", f));
      expect(new Set(prints).size).toBe(prints.length);
    });

    it("matches the verdicts read from the YAML", () => {
      expect((result.meta?.mesh as { present: boolean } | undefined)?.present).toBe(expected.present);
      if (!expected.present) expect(keys.filter((k) => k.startsWith("MESH-"))).toEqual([]);
      for (const v of expected.fires ?? []) {
        if (v.includes(" ")) expect(keys).toContain(v);
        else expect(keys.some((k) => k.startsWith(`${v} `))).toBe(true);
      }
      for (const v of expected.quiet ?? []) {
        if (v.includes(" ")) expect(keys).not.toContain(v);
        else expect(keys.filter((k) => k.startsWith(`${v} `))).toEqual([]);
      }
    });
  });
});
