import { publicOrigin } from "../../auth/cookies.js";
import type { Api } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { CreateClusterBody } from "../../routes/clusters/schema.js";
import { createCluster } from "../../services/clusters/create.js";
import { listClusters } from "../../services/clusters/list.js";
import { listSigningKeys } from "../../services/clusters/list-keys.js";
import { listFindings } from "../../services/findings/list.js";
import { listMeshCoverage } from "../../services/mesh/list.js";
import { listReports } from "../../services/reports/list.js";
import { consoleScope, viewerOf } from "../guard.js";
import { formFields, parseWith } from "../lib/form.js";
import { ClusterCreatedPage, ClustersPage } from "../pages/clusters.js";
import { MeshPage } from "../pages/mesh.js";
import { page } from "../render.js";

const RECENT_REPORTS = 50;
const MESH_FINDINGS_SHOWN = 50;

/** Clusters (last report per source, mesh coverage, keys, adding one) and the mesh page. */
export function registerConsoleClusters(app: Api): void {
  app.get("/app/clusters", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const ctx = { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId };
    const clusters = await listClusters({ ctx });
    const mesh = await listMeshCoverage({ ctx });
    const cards = [];
    for (const cluster of clusters) {
      const { items } = await listReports({ ctx, input: { cluster: cluster.id, limit: RECENT_REPORTS } });
      const seen = new Set<string>();
      const reports = items.filter((r) => !seen.has(r.source) && seen.add(r.source));
      const keys = viewer.isAdmin ? await listSigningKeys({ ctx, input: { clusterId: cluster.id } }) : [];
      cards.push({ cluster, reports, keys, mesh: mesh.items.find((m) => m.cluster.id === cluster.id) });
    }
    return page(c, <ClustersPage viewer={viewer} cards={cards} notice={c.req.query("notice")} />);
  });

  app.post("/app/clusters", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    const { pool, config } = c.get("deps");
    const form = await formFields(c);
    const body = parseWith(CreateClusterBody, { name: form.name ?? "" });
    const created = await createCluster({
      ctx: { pool, tenantId: viewer.auth.tenantId },
      input: { name: body.name, secretsKey: Buffer.from(config.SECRETS_KEY, "base64") },
    });
    // the secret is shown once, on this page (never in a redirect URL)
    return page(
      c,
      <ClusterCreatedPage
        viewer={viewer}
        name={created.cluster.name}
        url={publicOrigin(c)}
        keyId={created.key.keyId}
        secret={created.key.secret}
      />,
      201,
    );
  });

  app.get("/app/mesh", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const ctx = { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId };
    const { items, total } = await listMeshCoverage({ ctx });
    const findings = await listFindings({
      ctx,
      input: { source: "mesh-config", status: "open", sort: "severity", limit: MESH_FINDINGS_SHOWN },
    });
    return page(c, <MeshPage viewer={viewer} items={items} total={total} findings={findings.items} />);
  });
}
