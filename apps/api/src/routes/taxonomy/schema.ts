import { SOURCES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";

export const StrategySchema = z
  .object({
    id: z.string().openapi({ example: "PROT-MTLS" }),
    name: z.string(),
    covers: z.string(),
    nist: z.array(z.string()).openapi({ description: "Default NIST SP 800-204 citations of the strategy" }),
  })
  .openapi("Strategy");

export const TaxonomySchema = z
  .object({
    categories: z.array(z.object({ id: z.string(), name: z.string(), strategies: z.array(StrategySchema) })),
  })
  .openapi("Taxonomy");

export const UnmappedQuery = z.object({ source: z.enum(SOURCES).optional() });

export const UnmappedSchema = z
  .object({
    items: z.array(
      z.object({
        source: z.string(),
        ruleId: z.string(),
        title: z.string(),
        strategy: z.string().openapi({ description: "Where the tool's own category placed it meanwhile" }),
        findings: z.number().int(),
        open: z.number().int(),
        firstSeenAt: z.string(),
        lastSeenAt: z.string(),
      }),
    ),
  })
  .openapi("UnmappedChecks");
