import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ObjectStore } from "@bulwark/runtime";
import S3rver from "s3rver";

export interface LocalS3 {
  /** OBJECT_STORE_URL of the test bucket */
  url: string;
  store: ObjectStore;
  /** keys in the bucket, listed through the S3 API (ListObjectsV2) */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

const BUCKET = "bulwark-test";
// s3rver's built-in credentials: it checks every request's SigV4 signature against them
const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER", region: "us-east-1" };

/** A real S3 protocol server (s3rver) on a free port with an empty bucket in a temporary directory. */
export async function startLocalS3(): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), "bulwark-s3-"));
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  const url = `http://127.0.0.1:${port}/${BUCKET}`;
  const store = new ObjectStore({ url, ...CREDENTIALS });
  return {
    url,
    store,
    async keys() {
      const res = await store.list();
      return res.sort();
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export const LOCAL_S3_CONFIG = {
  OBJECT_STORE_REGION: CREDENTIALS.region,
  OBJECT_STORE_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  OBJECT_STORE_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};
