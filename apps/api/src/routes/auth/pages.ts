import { escapeHtml } from "../../lib/html.js";

/**
 * The two small pages a link in an e-mail lands on. A GET never uses a link up (mail scanners fetch links):
 * the page posts a form, and that post does. Every value is HTML-escaped; no script, no external resource.
 * Referrer policy same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on the form
 * post, which the cross-site check refuses; same-origin still keeps the token's URL from other sites.
 */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:420px;margin:48px auto;padding:0 16px;color:#1b1f24}
label{display:block;margin:12px 0 4px}input{width:100%;padding:8px;box-sizing:border-box}
button{margin-top:16px;padding:8px 16px}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function signInLinkPage(token: string, returnTo: string | undefined): string {
  return page(
    "Sign in to Bulwark",
    `<p>This one-time link signs you in once.</p>
<form method="post" action="/v1/auth/link">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${returnTo ? `<input type="hidden" name="returnTo" value="${escapeHtml(returnTo)}">` : ""}
<button type="submit">Sign in</button></form>`,
  );
}

export function invitationPage(
  token: string,
  inv: { tenantName: string; email: string; role: string; accountExists: boolean },
): string {
  const passwordHelp = inv.accountExists
    ? "An account with this e-mail exists: choose a new password for it (its other sessions end)."
    : "Choose a password: at least 12 characters, not one known from breaches.";
  return page(
    `Join ${inv.tenantName}`,
    `<p>You are invited to <strong>${escapeHtml(inv.tenantName)}</strong> as
<strong>${escapeHtml(inv.role)}</strong> (${escapeHtml(inv.email)}).</p>
<form method="post" action="/v1/auth/invitations/accept">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="displayName">Your name</label><input id="displayName" name="displayName" autocomplete="name">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<p>${escapeHtml(passwordHelp)}</p>
<button type="submit">Accept the invitation</button></form>`,
  );
}
