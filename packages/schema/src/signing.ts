/**
 * The string to sign of API contract §1.1 (v1): six lines joined by "\n", no trailing newline. The one
 * definition both sides use: the collector signs with it, the API verifies with it.
 */
export function stringToSign(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  bodySha256Hex: string,
): string {
  return ["v1", method.toUpperCase(), path, timestamp, nonce, bodySha256Hex].join("\n");
}
