import { CookieJar } from "tough-cookie";

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

export interface BrowserResponse<T = unknown> {
  status: number;
  headers: Headers;
  url: string;
  text: string;
  body: T;
  /** every URL visited, the redirects included */
  chain: string[];
}

/**
 * A browserless HTTP client: a cookie jar (tough-cookie, RFC 6265: Secure, HttpOnly, SameSite and __Host-
 * rules) and redirects followed by hand across origins, as a browser would for a top-level navigation. The
 * fetcher is global fetch against real servers, or a hono app's `request` for in-process tests.
 */
export class Browser {
  readonly jar = new CookieJar(undefined, { allowSecureOnLocal: true });
  constructor(
    private readonly fetcher: Fetcher = (u, i) => fetch(u, i),
    readonly base = "http://localhost",
  ) {}

  async cookie(name: string, url = this.base): Promise<string | undefined> {
    const all = await this.jar.getCookies(url);
    return all.find((c) => c.key === name)?.value;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    opts: {
      json?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
      follow?: boolean;
      /** stop before following a redirect to a URL for which this is true (the answer keeps its Location) */
      stopAt?: (url: string) => boolean;
    } = {},
  ): Promise<BrowserResponse<T>> {
    let url = new URL(path, this.base).toString();
    let init: { method: string; headers: Record<string, string>; body?: string } = {
      method,
      headers: { ...opts.headers },
    };
    if (opts.json !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(opts.json);
    } else if (opts.form) {
      init.headers["content-type"] = "application/x-www-form-urlencoded";
      init.body = new URLSearchParams(opts.form).toString();
    }
    const chain: string[] = [];
    for (let hop = 0; hop < 20; hop++) {
      chain.push(url);
      const cookies = await this.jar.getCookieString(url);
      const headers = { ...init.headers, ...(cookies ? { cookie: cookies } : {}) };
      const res = await this.fetcher(url, { ...init, headers, redirect: "manual" });
      for (const sc of res.headers.getSetCookie()) await this.jar.setCookie(sc, url, { ignoreError: true });
      const location = res.headers.get("location");
      const next = location ? new URL(location, url).toString() : null;
      const stop = next !== null && opts.stopAt?.(next) === true;
      if (opts.follow !== false && !stop && next && res.status >= 300 && res.status < 400) {
        await res.arrayBuffer();
        url = next;
        // 303 (and 301/302 after a POST, as browsers do) turn into a GET without a body
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && init.method !== "GET")) {
          const { "content-type": _ct, ...rest } = init.headers;
          init = { method: "GET", headers: rest };
        }
        continue;
      }
      const text = await res.text();
      let body: unknown = text;
      if ((res.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
      return { status: res.status, headers: res.headers, url, text, body: body as T, chain };
    }
    throw new Error("too many redirects");
  }
}
