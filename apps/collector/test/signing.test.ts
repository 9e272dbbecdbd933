import { describe, expect, it } from "vitest";
import { signRequest, stringToSign } from "../src/signing.js";

// The worked example of the README's "Ingestion protocol" section: if this changes, the README is wrong.
describe("request signing (contract §1.1)", () => {
  const body = Buffer.from(
    '{"schemaVersion":1,"source":"kube-bench","collectedAt":"2026-11-23T10:00:00Z","report":{"Controls":[]}}',
  );
  it("builds the string to sign from six lines without a trailing newline", () => {
    expect(stringToSign("post", "/v1/reports", "1795428000", "c2lnbmluZy1leGFtcGxlLTAx", "ab")).toBe(
      "v1\nPOST\n/v1/reports\n1795428000\nc2lnbmluZy1leGFtcGxlLTAx\nab",
    );
  });
  it("matches the README's worked example", () => {
    const headers = signRequest({
      method: "POST",
      path: "/v1/reports",
      body,
      keyId: "key_example",
      secret: "bws_example-secret-do-not-use",
      timestamp: 1795428000,
      nonce: "c2lnbmluZy1leGFtcGxlLTAx",
    });
    expect(headers).toEqual({
      "X-Bulwark-Key": "key_example",
      "X-Bulwark-Timestamp": "1795428000",
      "X-Bulwark-Nonce": "c2lnbmluZy1leGFtcGxlLTAx",
      "X-Bulwark-Signature": "v1=6ee6e44cd48fd5b8750e5ab3d6c01a670b0cdbcfdf85cbf50395a46e46a2c038",
    });
  });
  it("generates nonces the server accepts", () => {
    const { "X-Bulwark-Nonce": nonce } = signRequest({
      method: "POST",
      path: "/",
      body,
      keyId: "k",
      secret: "s",
    });
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  });
});
