import type { Api } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { FindingParams } from "../../routes/findings/schema.js";
import { CreateSuppressionBody } from "../../routes/suppressions/schema.js";
import { listClusters } from "../../services/clusters/list.js";
import { getFinding } from "../../services/findings/get.js";
import { groupFindings } from "../../services/findings/groups.js";
import { listFindings } from "../../services/findings/list.js";
import { createSuppression } from "../../services/suppressions/create.js";
import { consoleScope, viewerOf } from "../guard.js";
import { listInput, nextCursor, parseFindingsQuery } from "../lib/findings-query.js";
import { endOfDay, formFields, opt, parseWith } from "../lib/form.js";
import { FindingPage } from "../pages/finding.js";
import { FindingGroupsPage } from "../pages/finding-groups.js";
import { FindingsPage } from "../pages/findings.js";
import { page, redirectWith } from "../render.js";

const GROUPS_SHOWN = 200;

/** Which fields of the finding a suppression from its page matches, by the scope chosen. */
function selectorFor(scope: string | undefined, f: Awaited<ReturnType<typeof getFinding>>["finding"]) {
  const some = <T,>(v: T | null) => v ?? undefined;
  switch (scope) {
    case "rule":
      return { ruleId: f.rule_id };
    case "rule-cluster":
      return { ruleId: f.rule_id, cluster: f.cluster_id };
    case "rule-namespace":
      return { ruleId: f.rule_id, cluster: f.cluster_id, namespace: some(f.resource_namespace) };
    case "rule-resource":
      return {
        ruleId: f.rule_id,
        cluster: f.cluster_id,
        namespace: some(f.resource_namespace),
        kind: some(f.resource_kind),
        name: some(f.resource_name),
      };
    default:
      return { cluster: f.cluster_id, fingerprint: f.fingerprint };
  }
}

export function registerConsoleFindings(app: Api): void {
  app.get("/app/findings", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const ctx = { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId };
    const q = parseFindingsQuery(new URL(c.req.url).searchParams);
    const result = await listFindings({ ctx, input: listInput(q) });
    const clusters = await listClusters({ ctx });
    return page(
      c,
      <FindingsPage
        viewer={viewer}
        q={q}
        items={result.items}
        next={nextCursor(q.sort, result.next)}
        clusters={clusters}
        notice={c.req.query("notice")}
      />,
    );
  });

  app.get("/app/findings/groups", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const params = new URL(c.req.url).searchParams;
    const by = params.get("by") === "image" ? "image" : "rule";
    params.delete("by");
    const q = parseFindingsQuery(params);
    const { cursor: _c, sort: _s, limit: _l, ...filters } = q;
    const { items } = await groupFindings({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { ...filters, by, limit: GROUPS_SHOWN },
    });
    return page(c, <FindingGroupsPage viewer={viewer} q={q} by={by} groups={items} />);
  });

  app.get("/app/findings/:id", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const { id } = parseWith(FindingParams, { id: c.req.param("id") }, "path");
    const { finding, history } = await getFinding({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { id },
    });
    return page(c, <FindingPage viewer={viewer} f={finding} history={history} />);
  });

  app.post("/app/findings/:id/suppress", consoleScope("write"), async (c) => {
    const viewer = viewerOf(c);
    const ctx = { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId };
    const { id } = parseWith(FindingParams, { id: c.req.param("id") }, "path");
    const form = await formFields(c);
    const { finding } = await getFinding({ ctx, input: { id } });
    const body = parseWith(CreateSuppressionBody, {
      selector: selectorFor(form.scope, finding),
      reason: form.reason ?? "",
      expiresAt: endOfDay(form.expiresOn),
    });
    await createSuppression({
      ctx,
      input: { ...body, expiresAt: new Date(body.expiresAt), createdBy: viewer.auth.actorId },
    });
    return redirectWith(
      c,
      "/app/findings",
      `Suppressed "${finding.title}" until ${body.expiresAt.slice(0, 10)}`,
    );
  });

  app.post("/app/suppressions", consoleScope("write"), async (c) => {
    const viewer = viewerOf(c);
    const form = await formFields(c);
    const selector = {
      ruleId: opt(form.ruleId),
      cluster: opt(form.cluster),
      namespace: opt(form.namespace),
      kind: opt(form.kind),
      name: opt(form.name),
    };
    const body = parseWith(CreateSuppressionBody, {
      selector: Object.fromEntries(Object.entries(selector).filter(([, v]) => v !== undefined)),
      reason: form.reason ?? "",
      expiresAt: endOfDay(form.expiresOn),
    });
    await createSuppression({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { ...body, expiresAt: new Date(body.expiresAt), createdBy: viewer.auth.actorId },
    });
    return redirectWith(c, "/app/findings", `Suppression created until ${body.expiresAt.slice(0, 10)}`);
  });
}
