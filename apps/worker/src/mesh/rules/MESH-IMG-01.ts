import { rec, str } from "../model/objects.js";
import { N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { meshFix, meshRef } from "./util.js";

const hardened = (image: string) => image.includes("distroless");
const comparable = (image: string | null): image is string =>
  !!image && image !== "auto" && !image.includes("{{");

export const rule: MeshRule = {
  id: "MESH-IMG-01",
  title: "Mesh proxies or istiod run non-distroless images",
  severity: "low",
  strategy: "INT-VULN",
  nist: [N.SS9],
  needs: ["istio"],
  rationale:
    "The default Istio images carry a shell and package tooling; the distroless variants remove most of the " +
    "attack surface and most of the CVEs scanners report on mesh images.",
  remediation:
    "Select the distroless variant (meshConfig.defaultConfig.image.imageType: distroless, or values.global.variant) and restart workloads.",
  fix: () => meshFix(null, { defaultConfig: { image: { imageType: "distroless" } } }),
  references: ["https://istio.io/latest/docs/ops/configuration/security/harden-docker-images/"],
  check(ctx) {
    const bad = ctx.inv.workloads.filter(
      (w) => w.pods > 0 && w.proxyImages.some((i) => comparable(i) && !hardened(i)),
    );
    const istiod = ctx.inv.cp.istiod.filter((d) => comparable(d.image) && !hardened(d.image as string));
    const configured =
      str(rec(rec(ctx.inv.cp.mesh.defaultConfig).image).imageType) === "distroless" ||
      str(rec(ctx.inv.cp.injectorValues.global).variant) === "distroless";
    if (bad.length === 0 && istiod.length === 0) return [];
    const images = [
      ...new Set([
        ...bad.flatMap((w) => w.proxyImages.filter((i) => !hardened(i))),
        ...istiod.map((d) => d.image as string),
      ]),
    ];
    return [
      {
        resource: istiod[0]?.ref ?? ctx.inv.cp.istiod[0]?.ref ?? meshRef(ctx),
        affected: bad,
        message: `${bad.length} workload proxy image(s) and ${istiod.length} istiod image(s) are not distroless${configured ? " (distroless is configured: restart to pick it up)" : ""}`,
        evidence: { images: images.slice(0, 10), distrolessConfigured: configured },
      },
    ];
  },
};
