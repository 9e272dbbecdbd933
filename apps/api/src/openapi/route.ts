/**
 * The convention for a route's OpenAPI definition: `defineRoute` is `createRoute` with what generated clients
 * and the docs need made compulsory by the type: an `operationId` (a client's method name: a verb and the
 * resource, `listFindings`), one declared tag, `security` (`[]` for a public route, `bearerSecurity` for a
 * tenant token) and a summary. apps/api/test/openapi-document.test.ts holds every route of the built
 * document to the same rules, including those written with plain `createRoute`.
 */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Tag } from "./document.js";

export interface DocumentedRoute {
  operationId: string;
  tags: [Tag];
  security: NonNullable<RouteConfig["security"]>;
  summary: string;
}

export const defineRoute = <
  P extends string,
  R extends Omit<RouteConfig, "path"> & { path: P } & DocumentedRoute,
>(
  config: R,
) => createRoute(config);
