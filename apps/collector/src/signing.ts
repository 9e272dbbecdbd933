import { createHash, createHmac, randomBytes } from "node:crypto";
import { stringToSign } from "@bulwark/schema";

/** The request-signing scheme of API contract §1.1 (v1). Shared by the collector, the demo and the tests. */
export interface SignInput {
  method: string;
  /** path including the query string, exactly as sent */
  path: string;
  /** the body bytes exactly as sent (the gzip bytes when gzipped) */
  body: Uint8Array;
  keyId: string;
  secret: string;
  /** Unix seconds; defaults to now */
  timestamp?: number;
  nonce?: string;
}

// the collector's public signing API includes the shared definition
export { stringToSign };

export function newNonce(): string {
  return randomBytes(18).toString("base64url"); // 24 chars of [A-Za-z0-9_-]
}

export function signRequest(input: SignInput): Record<string, string> {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? newNonce();
  const bodyHash = createHash("sha256").update(input.body).digest("hex");
  const sig = createHmac("sha256", input.secret)
    .update(stringToSign(input.method, input.path, timestamp, nonce, bodyHash))
    .digest("hex");
  return {
    "X-Bulwark-Key": input.keyId,
    "X-Bulwark-Timestamp": timestamp,
    "X-Bulwark-Nonce": nonce,
    "X-Bulwark-Signature": `v1=${sig}`,
  };
}
