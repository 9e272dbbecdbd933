import * as client from "openid-client";
import { safeFetch } from "./safe-fetch.js";

export interface ProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The openid-client configuration of a tenant's provider: discovery from its issuer, client_secret_post
 * authentication, every HTTP call through safeFetch. Not cached: each sign-in discovers afresh, so a changed
 * provider setting or key set takes effect at once (sign-ins are rare next to API calls).
 */
export async function providerConfig(
  p: ProviderSettings,
  allowInsecure: boolean,
): Promise<client.Configuration> {
  const fetcher = safeFetch(allowInsecure);
  const config = await client.discovery(
    new URL(p.issuer),
    p.clientId,
    { client_secret: p.clientSecret },
    client.ClientSecretPost(p.clientSecret),
    {
      [client.customFetch]: fetcher as client.CustomFetch,
      timeout: 10,
      execute: allowInsecure ? [client.allowInsecureRequests] : [],
    },
  );
  return config;
}

export { client as oidc };
