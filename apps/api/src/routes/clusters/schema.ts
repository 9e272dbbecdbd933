import { SOURCES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";

export const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/;

export const CreateClusterBody = z
  .object({
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(CLUSTER_NAME, "lower-case letters, digits, '-', '.', '_'; starting and ending alphanumeric")
      .openapi({ example: "prod-eu-1" }),
  })
  .strict()
  .openapi("CreateCluster");

export const SigningKeySecret = z
  .object({
    keyId: z.string().openapi({ example: "key_0123456789abcdefghjk" }),
    secret: z.string().openapi({ description: "The HMAC secret, shown once" }),
  })
  .openapi("SigningKeySecret");

export const CreatedCluster = z
  .object({ cluster: z.object({ id: z.string(), name: z.string() }), key: SigningKeySecret })
  .openapi("CreatedCluster");

export const ClusterSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    sources: z.array(
      z.object({
        source: z.enum(SOURCES),
        lastReceivedAt: z.string(),
        lastCollectedAt: z.string(),
        lastStatus: z.string(),
      }),
    ),
  })
  .openapi("Cluster");

export const ClusterList = z.object({ items: z.array(ClusterSchema) }).openapi("ClusterList");

export const SigningKeySchema = z
  .object({ keyId: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })
  .openapi("SigningKey");

export const SigningKeyList = z.object({ items: z.array(SigningKeySchema) }).openapi("SigningKeyList");

export const ClusterParams = z.object({ id: IdParam("id", "cls_0123456789abcdefghjk") });
export const KeyParams = z.object({
  id: IdParam("id", "cls_0123456789abcdefghjk"),
  keyId: IdParam("keyId", "key_0123456789abcdefghjk"),
});
