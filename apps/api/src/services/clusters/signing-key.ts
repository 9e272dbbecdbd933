import { encryptSecret, newSigningSecret } from "@bulwark/runtime";
import { newId } from "@bulwark/schema";

export interface NewSigningKey {
  keyId: string;
  /** shown once to the caller, never stored in clear */
  secret: string;
  ciphertext: string;
}

/** A signing key whose secret is encrypted under SECRETS_KEY, bound to its key id (AAD). */
export function newSigningKey(secretsKey: Buffer): NewSigningKey {
  const keyId = newId("signingKey");
  const secret = newSigningSecret();
  return { keyId, secret, ciphertext: encryptSecret(secretsKey, secret, keyId) };
}
