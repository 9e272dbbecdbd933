import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** claims per login name typed into the provider's sign-in form */
  accounts: Map<string, { email: string; email_verified?: boolean; name?: string }>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (panva's oidc-provider) on a free loopback port, with its development sign-in and
 * consent pages (any login name; its claims come from `accounts`). PKCE is required for the client.
 */
export async function startIdp(redirectUri: string): Promise<TestIdp> {
  let handler: ((req: never, res: never) => void) | undefined;
  const server: Server = createServer((req, res) => {
    if (handler) handler(req as never, res as never);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = `bulwark-${randomBytes(3).toString("hex")}`;
  const clientSecret = randomBytes(24).toString("base64url");
  const accounts: TestIdp["accounts"] = new Map();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(16).toString("hex")] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          const a = accounts.get(sub) ?? { email: `${sub}@unknown.example` };
          return { sub, email_verified: true, ...a };
        },
      };
    },
  });
  provider.on("server_error", () => {});
  handler = provider.callback() as never;
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The first form of an HTML page: its action and hidden fields (the provider's dev sign-in/consent pages). */
export function firstForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form?.[1]) throw new Error(`no form on ${pageUrl}: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of (form[2] ?? "").matchAll(
    /<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi,
  )) {
    fields[m[1] as string] = m[2] as string;
  }
  return { action: new URL(form[1].replaceAll("&amp;", "&"), pageUrl).toString(), fields };
}
