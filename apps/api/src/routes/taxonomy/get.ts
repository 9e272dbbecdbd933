import { CATEGORIES, STRATEGIES } from "@bulwark/schema";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { TaxonomySchema } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getTaxonomy",
  path: "/v1/taxonomy",
  tags: ["taxonomy"],
  summary: "The categories and strategies every finding is mapped to (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  responses: { 200: json(TaxonomySchema, "The taxonomy"), ...problems(...TOKEN_ERRORS) },
});

const body = {
  categories: CATEGORIES.map((c) => ({
    id: c.id,
    name: c.name,
    strategies: STRATEGIES.filter((s) => s.category === c.id).map((s) => ({
      id: s.id,
      name: s.name,
      covers: s.covers,
      nist: [...s.nist],
    })),
  })),
};

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => c.json(body, 200);
