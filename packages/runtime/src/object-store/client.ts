import { Readable } from "node:stream";
import { AwsClient } from "aws4fetch";

export interface ObjectStoreOptions {
  /** path-style URL of the endpoint and the bucket (https://host/bucket) */
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** The object store answered with an error or could not be reached: a retryable failure, nothing is lost. */
export class ObjectStoreError extends Error {
  constructor(
    message: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = "ObjectStoreError";
  }
}

/**
 * The four S3 operations the raw payloads need (PUT, HEAD, GET, DELETE), signed with SigV4 against any
 * S3-compatible store (AWS S3, MinIO, Ceph RGW, R2, s3rver in the tests). Path-style URLs, so a bucket name
 * with dots or an endpoint without wildcard DNS works the same.
 */
export class ObjectStore {
  private readonly aws: AwsClient;
  private readonly base: string;

  constructor(opts: ObjectStoreOptions) {
    this.aws = new AwsClient({
      accessKeyId: opts.accessKeyId,
      secretAccessKey: opts.secretAccessKey,
      service: "s3",
      region: opts.region,
      retries: 2,
    });
    this.base = opts.url.replace(/\/+$/, "");
  }

  private url(key: string): string {
    return `${this.base}/${key.split("/").map(encodeURIComponent).join("/")}`;
  }

  private async call(key: string, init: RequestInit, op: string, query = ""): Promise<Response> {
    try {
      return await this.aws.fetch(key === "" ? `${this.base}/${query}` : this.url(key), init);
    } catch (e) {
      throw new ObjectStoreError(`object store ${op} failed: ${(e as Error).message}`);
    }
  }

  /** Size in bytes of the stored object, or null when there is none. */
  async head(key: string): Promise<number | null> {
    const r = await this.call(key, { method: "HEAD" }, "HEAD");
    if (r.status === 404) return null;
    if (!r.ok) throw new ObjectStoreError(`object store HEAD answered ${r.status}`, r.status);
    return Number(r.headers.get("content-length") ?? "0");
  }

  async put(key: string, body: Buffer, contentType = "application/gzip"): Promise<void> {
    // fetch refuses views of shared memory (an ingest thread hands its result over in one): copy those
    const bytes = body.buffer instanceof SharedArrayBuffer ? Buffer.from(body) : body;
    const r = await this.call(
      key,
      { method: "PUT", body: bytes, headers: { "content-type": contentType } },
      "PUT",
    );
    await r.arrayBuffer().catch(() => undefined);
    if (!r.ok) throw new ObjectStoreError(`object store PUT answered ${r.status}`, r.status);
  }

  /** The object's bytes as a stream, or null when there is none (deleted by retention). */
  async get(key: string): Promise<Readable | null> {
    const r = await this.call(key, { method: "GET" }, "GET");
    if (r.status === 404) return null;
    if (!r.ok || !r.body) throw new ObjectStoreError(`object store GET answered ${r.status}`, r.status);
    return Readable.fromWeb(r.body as import("node:stream/web").ReadableStream<Uint8Array>);
  }

  /** Keys under a prefix (ListObjectsV2, every page): for operators' checks and the tests. */
  async list(prefix = ""): Promise<string[]> {
    const keys: string[] = [];
    let token: string | null = null;
    do {
      const q = new URLSearchParams({ "list-type": "2", prefix });
      if (token) q.set("continuation-token", token);
      const r = await this.call("", { method: "GET" }, "LIST", `?${q}`);
      const xml = await r.text();
      if (!r.ok) throw new ObjectStoreError(`object store LIST answered ${r.status}`, r.status);
      for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(unescapeXml(m[1] ?? ""));
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? unescapeXml(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? "")
        : null;
    } while (token);
    return keys;
  }

  /** Idempotent: deleting an absent object succeeds (S3 answers 204 either way). */
  async delete(key: string): Promise<void> {
    const r = await this.call(key, { method: "DELETE" }, "DELETE");
    await r.arrayBuffer().catch(() => undefined);
    if (!r.ok && r.status !== 404)
      throw new ObjectStoreError(`object store DELETE answered ${r.status}`, r.status);
  }
}
