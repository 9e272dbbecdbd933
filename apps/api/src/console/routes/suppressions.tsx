import { z } from "@hono/zod-openapi";
import type { Api } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { SuppressionParams } from "../../routes/suppressions/schema.js";
import { listClusters } from "../../services/clusters/list.js";
import { deleteSuppression } from "../../services/suppressions/delete.js";
import { listSuppressions } from "../../services/suppressions/list.js";
import { consoleScope, viewerOf } from "../guard.js";
import { parseWith } from "../lib/form.js";
import { SuppressionsPage } from "../pages/suppressions.js";
import { page, redirectWith } from "../render.js";

const PAGE = 100;
const Cursor = z.tuple([cursorTimestamp, z.string().min(1)]);

/** The suppressions page (read) and lifting one (write): the console side of /v1/suppressions. */
export function registerConsoleSuppressions(app: Api): void {
  app.get("/app/suppressions", consoleScope("read"), expensive(), async (c) => {
    const viewer = viewerOf(c);
    const ctx = { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId };
    const includeExpired = c.req.query("expired") === "1";
    const cursor = c.req.query("cursor");
    const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
    const result = await listSuppressions({
      ctx,
      input: {
        includeExpired,
        limit: PAGE,
        ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}),
      },
    });
    const clusters = await listClusters({ ctx });
    return page(
      c,
      <SuppressionsPage
        viewer={viewer}
        items={result.items}
        clusters={clusters}
        includeExpired={includeExpired}
        next={result.next ? encodeCursor([result.next.createdAt, result.next.id]) : null}
        notice={c.req.query("notice")}
      />,
    );
  });

  app.post("/app/suppressions/:id/delete", consoleScope("write"), async (c) => {
    const viewer = viewerOf(c);
    const { id } = parseWith(SuppressionParams, { id: c.req.param("id") }, "path");
    await deleteSuppression({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { id },
    });
    return redirectWith(
      c,
      "/app/suppressions",
      "Suppression lifted: the findings it covered read open again",
    );
  });
}
