import { decryptSecret, sha256Hex } from "@bulwark/runtime";
import { NONCE_TTL_S } from "../../ingest/limits.js";
import {
  checkSignature,
  checkTimestamp,
  parseSignatureHeaders,
  requestTarget,
  signatureError,
} from "../../ingest/signature.js";
import type { PoolCtx } from "../context.js";
import { consumeNonce } from "./consume-nonce.js";
import { lookupSigningKey } from "./lookup-key.js";

export interface Signer {
  tenantId: string;
  clusterId: string;
  keyId: string;
}

/**
 * A bodyless request signed with a cluster's key like an upload (contract §1.1, the SHA-256 of an empty body):
 * headers, key, clock, HMAC, then the nonce is spent. 401 naming the failed check, as for uploads.
 */
export async function verifySignedRequest({
  ctx,
  input,
}: {
  ctx: PoolCtx;
  input: { method: string; url: string; header: (name: string) => string | undefined; secretsKey: Buffer };
}): Promise<Signer> {
  const headers = parseSignatureHeaders(input.header);
  const key = await lookupSigningKey({ ctx, input: { keyId: headers.keyId } });
  if (!key) throw signatureError("unknown signing key");
  if (key.revoked) throw signatureError("signing key has been revoked");
  checkTimestamp(headers.timestamp);
  const secret = decryptSecret(input.secretsKey, key.secretCiphertext, headers.keyId);
  checkSignature(secret, {
    method: input.method,
    target: requestTarget(input.url),
    bodySha256: sha256Hex(Buffer.alloc(0)),
    headers,
  });
  const fresh = await consumeNonce({
    ctx: { pool: ctx.pool, tenantId: key.tenantId },
    input: { keyId: headers.keyId, nonce: headers.nonce },
  });
  if (!fresh)
    throw signatureError(`nonce already used with this key within the last ${NONCE_TTL_S} s (replay)`);
  return { tenantId: key.tenantId, clusterId: key.clusterId, keyId: headers.keyId };
}
