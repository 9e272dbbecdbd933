import {
  decryptSecret,
  enqueueNormalize,
  isDataException,
  type Logger,
  ObjectStoreError,
  safeError,
} from "@bulwark/runtime";
import type { Source } from "@bulwark/schema";
import type { AppDeps, IngestRuntime } from "../env.js";
import { ApiError } from "../errors.js";
import type { IngestTicket } from "../fairness/ingest-budget.js";
import { getTenantSelf } from "../services/me/tenant-name.js";
import { storeReport } from "../services/reports/store.js";
import { consumeNonce } from "../services/signing/consume-nonce.js";
import { lookupSigningKey } from "../services/signing/lookup-key.js";
import { checkContentEncoding, checkContentLength, checkContentType } from "./content-checks.js";
import { decodeReport } from "./decode.js";
import { NONCE_TTL_S } from "./limits.js";
import { checkRateLimits } from "./rate-limit.js";
import { readBodyLimited } from "./read-body.js";
import {
  checkSignature,
  checkTimestamp,
  parseSignatureHeaders,
  requestTarget,
  signatureError,
} from "./signature.js";

const ENQUEUE_TIMEOUT_MS = 2_000;
const RETRY_AFTER_S = 5;

export interface IngestRequest {
  method: string;
  url: string;
  header(name: string): string | undefined;
  body: ReadableStream<Uint8Array> | null;
}

export interface IngestObserver {
  tenant(tenantId: string): void;
  source(source: Source): void;
}

export interface IngestResult {
  reportId: string;
  status: string;
  duplicate: boolean;
}

/** A database step of ingestion: a failure means nothing was stored, so the client should retry (503). */
async function dbStep<T>(logger: Logger, step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    // a value the database cannot take is the upload's fault: retrying the same body would never succeed
    if (isDataException(e))
      throw new ApiError("bad_request", "the report envelope holds a value that cannot be stored");
    if (e instanceof ObjectStoreError) {
      logger.error({ err: safeError(e), step }, "ingest object store step failed");
      throw new ApiError("unavailable", "the object store cannot take the report now; nothing was stored", {
        retryAfter: RETRY_AFTER_S,
      });
    }
    logger.error({ err: safeError(e), step }, "ingest database step failed");
    throw new ApiError("unavailable", "the database cannot take the report now; nothing was stored", {
      retryAfter: RETRY_AFTER_S,
    });
  }
}

async function enqueue(deps: AppDeps, tenantId: string, reportId: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      enqueueNormalize(deps.queue, { tenantId, reportId }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
          ENQUEUE_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (e) {
    // the row is committed and durable: the worker's maintenance sweep enqueues reports left queued
    deps.logger.warn({ err: safeError(e), tenantId, reportId }, "enqueue failed; the sweep will pick it up");
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POST /v1/reports, in the contract's order: media type and size first, then signing (before the body is
 * decompressed or parsed), rate limits, decoding, storage, and the job last.
 */
export async function ingestReport(
  deps: AppDeps,
  ingest: IngestRuntime,
  req: IngestRequest,
  observe: IngestObserver,
): Promise<IngestResult> {
  const { pool, logger } = deps;
  checkContentType(req.header("content-type"));
  const encoding = checkContentEncoding(req.header("content-encoding"));
  checkContentLength(req.header("content-length"));

  // headers, key and clock are checked before reading the body, so an unsigned client cannot make the
  // server buffer 32 MiB
  const headers = parseSignatureHeaders(req.header);
  const key = await dbStep(logger, "signing key", () =>
    lookupSigningKey({ ctx: { pool }, input: { keyId: headers.keyId } }),
  );
  if (!key) throw signatureError("unknown signing key");
  if (key.revoked) throw signatureError("signing key has been revoked");
  observe.tenant(key.tenantId);
  checkTimestamp(headers.timestamp);

  // admission before a byte of the body is read: per-tenant uploads in flight and the process's memory
  const declared = req.header("content-length");
  const ticket = ingest.budget.admit(key.tenantId, declared === undefined ? undefined : Number(declared));
  try {
    return await acceptBody(deps, ingest, req, observe, { key, headers, encoding, ticket, declared });
  } finally {
    ticket.release();
  }
}

interface Admitted {
  key: NonNullable<Awaited<ReturnType<typeof lookupSigningKey>>>;
  headers: ReturnType<typeof parseSignatureHeaders>;
  encoding: ReturnType<typeof checkContentEncoding>;
  ticket: IngestTicket;
  declared: string | undefined;
}

async function acceptBody(
  deps: AppDeps,
  ingest: IngestRuntime,
  req: IngestRequest,
  observe: IngestObserver,
  { key, headers, encoding, ticket, declared }: Admitted,
): Promise<IngestResult> {
  const { config, pool, logger } = deps;
  const t0 = performance.now();
  const body = await readBodyLimited(req.body, {
    ticket,
    prepaid: declared === undefined ? 0 : Number(declared),
    ...(declared === undefined ? {} : { expected: Number(declared) }),
  });
  const secret = decryptSecret(
    Buffer.from(config.SECRETS_KEY, "base64"),
    key.secretCiphertext,
    headers.keyId,
  );
  checkSignature(secret, {
    method: req.method,
    target: requestTarget(req.url),
    bodySha256: body.sha256,
    headers,
  });
  const ctx = { pool, tenantId: key.tenantId };
  // after the signature: only the tenant's own collectors learn that it is suspended
  const tenant = await dbStep(logger, "tenant", () => getTenantSelf({ ctx }));
  if (tenant?.suspendedAt) {
    throw new ApiError(
      "forbidden",
      `tenant suspended by the platform operator${tenant.suspendedReason ? `: ${tenant.suspendedReason}` : ""}; uploads are refused until it is resumed (data already stored is kept)`,
    );
  }
  const fresh = await dbStep(logger, "nonce", () =>
    consumeNonce({ ctx, input: { keyId: headers.keyId, nonce: headers.nonce } }),
  );
  if (!fresh)
    throw signatureError(`nonce already used with this key within the last ${NONCE_TTL_S} s (replay)`);

  await checkRateLimits({
    redis: deps.redis,
    logger,
    prefix: config.QUEUE_PREFIX,
    tenantId: key.tenantId,
    clusterId: key.clusterId,
    clusterPerMin: config.RATE_LIMIT_CLUSTER_PER_MIN,
    tenantPerMin: config.RATE_LIMIT_TENANT_PER_MIN,
  });

  const t1 = performance.now();
  // decompression, depth, JSON, hash and envelope: streaming, in an ingest thread
  const decoded = await decodeReport(ingest.threads, body.bytes, encoding);
  const t2 = performance.now();
  observe.source(decoded.envelope.source);
  if (decoded.secretValuesStripped > 0)
    logger.info(
      { tenantId: key.tenantId, count: decoded.secretValuesStripped },
      "Secret values blanked from a mesh-config upload before storage",
    );
  const stored = await dbStep(logger, "store", () =>
    storeReport({
      ctx: { ...ctx, objectStore: deps.objectStore },
      input: {
        clusterId: key.clusterId,
        envelope: decoded.envelope,
        bodySha256: decoded.bodySha256,
        payload: decoded.payload,
        payloadBytes: decoded.payloadBytes,
      },
    }),
  );
  const t3 = performance.now();
  if (!stored.duplicate) await enqueue(deps, key.tenantId, stored.id);
  logger.debug(
    {
      tenantId: key.tenantId,
      reportId: stored.id,
      wireBytes: body.bytes.length,
      jsonBytes: decoded.payloadBytes,
      ms: { read: t1 - t0, inspect: t2 - t1, store: t3 - t2, enqueue: performance.now() - t3 },
    },
    "upload phases",
  );
  return { reportId: stored.id, status: stored.status, duplicate: stored.duplicate };
}
