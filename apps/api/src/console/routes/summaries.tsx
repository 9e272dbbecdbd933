import type { Api } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { ruleCtx } from "../../routes/notification-rules/common.js";
import { CreateRuleBody, RuleParams, UpdateRuleBody } from "../../routes/notification-rules/schema.js";
import { createRule } from "../../services/notification-rules/create.js";
import { listDeliveries } from "../../services/notification-rules/deliveries.js";
import { getRule } from "../../services/notification-rules/get.js";
import { listRules } from "../../services/notification-rules/list.js";
import { previewRule } from "../../services/notification-rules/preview.js";
import { enqueueAfterCommit } from "../../services/notification-rules/queue.js";
import { sendNow } from "../../services/notification-rules/send.js";
import { updateRule } from "../../services/notification-rules/update.js";
import { consoleScope, viewerOf } from "../guard.js";
import { formFields, parseWith } from "../lib/form.js";
import { ruleBodyOf, rulePatchOf } from "../lib/rule-form.js";
import { SummariesPage } from "../pages/summaries.js";
import { SecretPage, SummaryPage } from "../pages/summary.js";
import { page, redirectWith, securityHeaders } from "../render.js";

const SHOWN = 100;
const idOf = (raw: string) => parseWith(RuleParams, { id: raw }, "path").id;

/** Summaries: the notification rules, their three renderings, send now and the delivery history. */
export function registerConsoleSummaries(app: Api): void {
  app.get("/app/summaries", consoleScope("read"), async (c) => {
    const viewer = viewerOf(c);
    const { items } = await listRules({ ctx: ruleCtx(c, viewer.auth.tenantId), input: { limit: SHOWN } });
    return page(c, <SummariesPage viewer={viewer} rules={items} notice={c.req.query("notice")} />);
  });

  app.post("/app/summaries", consoleScope("write"), async (c) => {
    const viewer = viewerOf(c);
    const body = parseWith(CreateRuleBody, ruleBodyOf(await formFields(c)));
    const { rule, generatedSecret } = await createRule({
      ctx: ruleCtx(c, viewer.auth.tenantId),
      input: { ...body, createdBy: viewer.auth.actorId },
    });
    if (!generatedSecret) return redirectWith(c, `/app/summaries/${rule.id}`, "Created");
    // a generated signing secret is shown once, on a page of its own (never in a redirect URL)
    return page(c, <SecretPage viewer={viewer} ruleId={rule.id} secret={generatedSecret} />, 201);
  });

  app.get("/app/summaries/:id", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const id = idOf(c.req.param("id"));
    const ctx = ruleCtx(c, viewer.auth.tenantId);
    const rule = await getRule({ ctx, input: { id } });
    const preview = await previewRule({ ctx, input: { id } });
    const { items } = await listDeliveries({ ctx, input: { id, limit: SHOWN } });
    return page(
      c,
      <SummaryPage
        viewer={viewer}
        rule={rule}
        preview={preview}
        deliveries={items}
        notice={c.req.query("notice")}
      />,
    );
  });

  // the HTML part of the e-mail, in a sandboxed frame of the summary page: its own inline styles allowed,
  // nothing else (no script, no remote image), framed by this site only
  app.get("/app/summaries/:id/email.html", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const p = await previewRule({
      ctx: ruleCtx(c, viewer.auth.tenantId),
      input: { id: idOf(c.req.param("id")) },
    });
    securityHeaders(
      c,
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox",
    );
    return c.html(p.email.html);
  });

  app.post("/app/summaries/:id", consoleScope("write"), async (c) => {
    const viewer = viewerOf(c);
    const id = idOf(c.req.param("id"));
    const patch = parseWith(UpdateRuleBody, rulePatchOf(await formFields(c)));
    await updateRule({ ctx: ruleCtx(c, viewer.auth.tenantId), input: { id, patch } });
    return redirectWith(c, `/app/summaries/${id}`, "Saved");
  });

  app.post("/app/summaries/:id/send", consoleScope("write"), async (c) => {
    const viewer = viewerOf(c);
    const id = idOf(c.req.param("id"));
    const r = await sendNow({ ctx: ruleCtx(c, viewer.auth.tenantId), input: { id, idempotencyKey: null } });
    if (r.created) await enqueueAfterCommit(c.get("deps"), viewer.auth.tenantId, r.id);
    return redirectWith(c, `/app/summaries/${id}`, "Sending: the delivery is in the history below");
  });
}
