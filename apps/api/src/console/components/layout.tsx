import type { Child } from "hono/jsx";
import { assetUrl } from "../assets.js";
import type { Viewer } from "../guard.js";

export type Section = "posture" | "findings" | "clusters" | "mesh" | "summaries" | "settings";

const NAV: { id: Section; label: string; href: string; admin?: boolean }[] = [
  { id: "posture", label: "Posture", href: "/app" },
  { id: "findings", label: "Findings", href: "/app/findings" },
  { id: "clusters", label: "Clusters", href: "/app/clusters" },
  { id: "mesh", label: "Mesh", href: "/app/mesh" },
  { id: "summaries", label: "Summaries", href: "/app/summaries" },
  { id: "settings", label: "Settings", href: "/app/settings", admin: true },
];

export function Document(props: { title: string; children: Child; scripts?: string[] }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <link rel="icon" href="data:," />
        <title>{`${props.title} · Bulwark`}</title>
        <link rel="stylesheet" href={assetUrl("console.css")} />
        {props.scripts?.includes("chart") ? <link rel="stylesheet" href={assetUrl("uPlot.min.css")} /> : null}
        {props.scripts?.includes("chart") ? <script src={assetUrl("uPlot.iife.min.js")} defer /> : null}
        <script src={assetUrl("console.js")} defer />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** The frame of every signed-in page: skip link, navigation (admin sections for admins only), sign-out. */
export function Layout(props: {
  title: string;
  viewer: Viewer;
  section: Section;
  notice?: string | undefined;
  scripts?: string[];
  children: Child;
}) {
  const { viewer } = props;
  return (
    <Document title={props.title} scripts={props.scripts ?? []}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/app">
          Bulwark
        </a>
        <nav aria-label="Sections">
          <ul>
            {NAV.filter((n) => !n.admin || viewer.isAdmin).map((n) => (
              <li>
                <a href={n.href} aria-current={n.id === props.section ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {viewer.auth.actorLabel} ·{" "}
            <span class="role">{viewer.auth.role ?? viewer.auth.scopes.join(", ")}</span>
          </span>
          {viewer.auth.kind === "session" ? (
            <form method="post" action="/v1/auth/logout?returnTo=/app/login">
              <input type="hidden" name="_csrf" value={viewer.csrf} />
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          ) : null}
        </div>
      </header>
      <main id="main">
        <h1>{props.title}</h1>
        {props.notice ? (
          <p class="notice" role="status">
            {props.notice}
          </p>
        ) : null}
        {props.children}
      </main>
    </Document>
  );
}

/** The hidden CSRF field every console form carries. */
export function Csrf(props: { viewer: Viewer }) {
  return <input type="hidden" name="_csrf" value={props.viewer.csrf} />;
}
