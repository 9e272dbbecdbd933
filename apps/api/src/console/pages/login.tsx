import { Document } from "../components/layout.js";

/**
 * Sign-in: the password form posts to the API's own POST /v1/auth/login (a form post is answered 303 to
 * returnTo); single sign-on starts at the tenant's OIDC route. No script needed.
 */
export function LoginPage(props: { returnTo: string; error?: string | undefined }) {
  return (
    <Document title="Sign in">
      <main id="main" class="narrow">
        <h1>Sign in to Bulwark</h1>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/app/login" class="stack">
          <input type="hidden" name="returnTo" value={props.returnTo} />
          <label for="email">E-mail</label>
          <input id="email" name="email" type="email" autocomplete="username" required />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">Sign in</button>
        </form>
        <h2>Single sign-on</h2>
        <form method="get" action="/app/sso" class="stack">
          <input type="hidden" name="returnTo" value={props.returnTo} />
          <label for="tenant">Tenant id</label>
          <input id="tenant" name="tenant" required pattern="ten_[0-9a-z]+" autocomplete="organization" />
          <button type="submit">Continue with your identity provider</button>
        </form>
      </main>
    </Document>
  );
}
