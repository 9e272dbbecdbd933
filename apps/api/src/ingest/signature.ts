import { constantTimeEqual, hmacSha256Hex } from "@bulwark/runtime";
import { stringToSign } from "@bulwark/schema";
import { ApiError } from "../errors.js";
import { TIMESTAMP_TOLERANCE_S } from "./limits.js";

export interface SignatureHeaders {
  keyId: string;
  timestamp: string;
  nonce: string;
  /** lowercase hex, without the `v1=` prefix */
  signature: string;
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const SIGNATURE = /^v1=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function signatureError(detail: string): ApiError {
  return new ApiError("signature_invalid", detail);
}

/** The four signing headers, present and well-formed (contract §1.1); 401 naming the first bad one. */
export function parseSignatureHeaders(get: (name: string) => string | undefined): SignatureHeaders {
  const names = ["X-Bulwark-Key", "X-Bulwark-Timestamp", "X-Bulwark-Nonce", "X-Bulwark-Signature"] as const;
  const [keyId, timestamp, nonce, signature] = names.map((n) => get(n)?.trim());
  const missing = names.filter((_, i) => ![keyId, timestamp, nonce, signature][i]);
  if (missing.length > 0 || !keyId || !timestamp || !nonce || !signature) {
    throw signatureError(`missing signing header(s): ${missing.join(", ")}`);
  }
  if (!KEY_ID.test(keyId)) throw signatureError("malformed X-Bulwark-Key");
  if (!TIMESTAMP.test(timestamp))
    throw signatureError("malformed X-Bulwark-Timestamp: expected Unix time in seconds");
  if (!NONCE.test(nonce))
    throw signatureError("malformed X-Bulwark-Nonce: expected 16-64 characters of [A-Za-z0-9_-]");
  const sig = SIGNATURE.exec(signature)?.[1];
  if (!sig) throw signatureError("malformed X-Bulwark-Signature: expected v1=<64 lowercase hex digits>");
  return { keyId, timestamp, nonce, signature: sig };
}

export function checkTimestamp(timestamp: string, nowMs = Date.now()): void {
  const skew = Math.abs(Number(timestamp) - Math.floor(nowMs / 1000));
  if (skew > TIMESTAMP_TOLERANCE_S) {
    throw signatureError(
      `X-Bulwark-Timestamp is ${skew} s away from the server clock (allowed: ${TIMESTAMP_TOLERANCE_S} s)`,
    );
  }
}

/** The path and query exactly as the client sent them: taken from the raw URL, not a re-serialised one. */
export function requestTarget(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const target = url.slice(start);
  const hash = target.indexOf("#");
  return hash >= 0 ? target.slice(0, hash) : target;
}

export interface SignedRequest {
  method: string;
  target: string;
  bodySha256: string;
  headers: SignatureHeaders;
}

/** HMAC-SHA256 over the contract's string to sign, compared in constant time. */
export function checkSignature(secret: string, req: SignedRequest): void {
  const { timestamp, nonce, signature } = req.headers;
  const toSign = stringToSign(req.method, req.target, timestamp, nonce, req.bodySha256);
  if (!constantTimeEqual(hmacSha256Hex(secret, toSign), signature)) {
    throw signatureError(
      "signature mismatch (check the secret, the path and the body hash of the string to sign)",
    );
  }
}
