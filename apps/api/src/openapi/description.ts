/** The OpenAPI document's info.description: what a client must know beyond each route. */
export const API_DESCRIPTION = `
Multi-tenant security posture for Kubernetes and Istio, organised by NIST SP 800-204.

## Authentication
* **Tenant API** (\`/v1/*\` except uploads): \`Authorization: Bearer <API token>\`. Tokens carry independent
  scopes: \`read\` (queries), \`write\` (suppressions), \`admin\` (clusters, keys, tokens); a token needs the scope a
  route names (admin does not imply read). Missing, unknown or revoked tokens answer 401, a missing scope 403.
  Another tenant's ids always answer 404, never 403.
* **Signed-in members** (the console, a browser): the \`__Host-bulwark_session\` cookie (HttpOnly, Secure,
  SameSite=Lax, server-side, idle and absolute timeouts) set by \`POST /v1/auth/login\`, the tenant's OIDC sign-in
  (\`GET /v1/auth/oidc/{tenantId}/start\`), an invitation or a one-time link. A member's role maps onto the scopes:
  viewer → read; editor → read, write; admin and owner → read, write, admin (owner alone may delete the tenant and
  grant or remove the owner role). When both are sent, the Authorization header wins and the cookie is ignored.
* **CSRF.** Every cookie-authenticated request other than GET/HEAD/OPTIONS must carry the session's CSRF token,
  in the \`X-CSRF-Token\` header or a \`_csrf\` form field, and must not come from another site (\`Origin\` or
  \`Sec-Fetch-Site\`): otherwise 403. The token is in the sign-in answer (\`csrfToken\`), in \`GET /v1/me\`
  (\`session.csrfToken\`) and in the script-readable \`__Host-bulwark_csrf\` cookie; it changes with each session.
  Sign-in posts (no session yet) only refuse cross-site requests.
* **Tokens** may carry \`expiresAt\` and belong to a user (their scopes never exceed that user's current role;
  removing the user revokes them) or be service tokens.
* **Platform operator** (\`/admin/v1/*\`): \`Authorization: Bearer <ADMIN_TOKEN>\`.
* **Uploads** (\`POST /v1/reports\`): signed with the cluster's signing key, as below.

## Request signing (HMAC-SHA256)
Headers: \`X-Bulwark-Key\` (key id), \`X-Bulwark-Timestamp\` (Unix seconds), \`X-Bulwark-Nonce\` (16-64 characters of
\`[A-Za-z0-9_-]\`, unique per request), \`X-Bulwark-Signature: v1=<lowercase hex HMAC-SHA256(secret, string to sign)>\`.
The string to sign is these lines joined by a single \`\\n\` (no trailing newline):

\`\`\`
v1
<HTTP method, upper case>
<request path including the query string, exactly as sent>
<X-Bulwark-Timestamp>
<X-Bulwark-Nonce>
<lowercase hex SHA-256 of the body bytes exactly as sent (the gzip bytes when gzipped)>
\`\`\`

The server answers 401 (its \`detail\` names the failed check) for missing or malformed headers, an unknown or
revoked key, a timestamp more than 300 s from the server clock, a signature mismatch (constant-time compare)
or a nonce already used with that key within 600 s. The signature is verified before the body is
decompressed or parsed. A cluster may hold several active keys (rotation); revoking one leaves the others.

## Uploads and durability
An upload is stored before it is queued: 202 means the report row is committed. If the job queue (Redis) is
unavailable at that moment the answer is still 202 and the worker's maintenance sweep queues reports left
\`queued\`; 503 (with Retry-After) means the database could not store the report and nothing was kept. The same
body again for the same cluster and source answers 200 with \`duplicate: true\` and the earlier report id.
A report whose content cannot be parsed for its source is accepted and ends \`failed\` with an \`error\`.
The envelope may carry an optional \`manifest\` (extension): \`[{ resource, kind, status: read|partial|absent|forbidden|failed,
count?, namespaces?, reason? }]\`; kinds that were forbidden or failed are unknown, so findings of rules that need
them are kept as they were instead of being resolved.

## Errors
Every error is RFC 9457 \`application/problem+json\` with \`type\`, \`title\`, \`status\`, \`detail\`, \`requestId\` and,
for invalid input, \`errors: [{ location, message }]\` listing each bad field (\`body.source\`, \`query.limit\`…).
Send \`X-Request-Id\` to correlate; it is echoed (or generated) on every response.

## Audit
Every write (any method but GET) by a known caller on any tenant route appends an entry to the tenant's audit log
(\`GET /v1/audit-log\`, admin scope), refused ones included (\`outcome: denied\`); so does every sign-in, failed or
not. Signed uploads are recorded as reports instead.

## Paging
Lists page by an opaque \`cursor\` (keyset, never offset): pass \`nextCursor\` back until it is null.

## Findings and suppressions
A finding's stored status is what the latest applied snapshot says (\`open\` or \`resolved\`). \`suppressed\` is
derived when read: an open finding matching an active suppression (every selector field given equals the
finding's, not yet expired). Deleting or expiring a suppression needs no rewrite of findings.
`.trim();
