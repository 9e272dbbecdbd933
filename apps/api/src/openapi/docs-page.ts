/**
 * GET /docs: one self-contained page (no CDN: operators may be offline), rendered on the server from the
 * OpenAPI document, so it is complete on its first paint and readable without JavaScript. The one script
 * adds "try it": a token kept in this tab's sessionStorage only, and a form per operation whose answer is
 * shown as text (never as HTML). `__NONCE__` is replaced per request (see the Content-Security-Policy).
 */
import { type Doc, esc, markdown, renderOperations } from "./docs-render.js";

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f8fa; }
  header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #d0d7de; padding: 8px 24px; z-index: 1; }
  header h1 { display: inline; font-size: 20px; margin-right: 16px; }
  header nav a { margin-right: 10px; }
  main { max-width: 1000px; margin: 0 auto; padding: 0 24px 48px; }
  h2 { margin: 32px 0 4px; border-bottom: 1px solid #d0d7de; text-transform: capitalize; }
  pre { background: #fff; border: 1px solid #d0d7de; padding: 8px 12px; overflow-x: auto; white-space: pre-wrap; }
  .intro pre { background: #eef1f4; }
  details.op { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 8px 0; }
  details.op > summary { cursor: pointer; padding: 8px 12px; }
  details.op > div { padding: 0 12px 12px; }
  .m { display: inline-block; min-width: 64px; font-weight: 700; text-transform: uppercase; font-family: ui-monospace, monospace; }
  .get { color: #0969da; } .post { color: #1a7f37; } .delete { color: #cf222e; } .patch, .put { color: #9a6700; }
  .sum { color: #57606a; margin-left: 8px; }
  .meta, .note, .ct { color: #57606a; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
  td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
  code { font-family: ui-monospace, monospace; }
  form.try label { display: block; margin: 4px 0; }
  form.try input { width: 60%; } form.try textarea { width: 100%; font-family: ui-monospace, monospace; }
  #token { width: 320px; }
`;

// plain ES5-style script: no build step, no dependency
const SCRIPT = `
(function () {
  var box = document.getElementById("token");
  box.value = sessionStorage.getItem("bulwark-token") || "";
  box.addEventListener("input", function () { sessionStorage.setItem("bulwark-token", box.value.trim()); });
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("try")) return;
    ev.preventDefault();
    var path = form.getAttribute("data-path");
    var method = form.getAttribute("data-method");
    var query = new URLSearchParams();
    form.querySelectorAll("input[data-in]").forEach(function (i) {
      if (i.value === "") return;
      if (i.getAttribute("data-in") === "path") path = path.replace("{" + i.name + "}", encodeURIComponent(i.value));
      else query.append(i.name, i.value);
    });
    var headers = {};
    var token = box.value.trim();
    if (token) headers.authorization = "Bearer " + token;
    var init = { method: method, headers: headers };
    var body = form.querySelector("textarea[name=body]");
    if (body) { headers["content-type"] = "application/json"; init.body = body.value; }
    var out = form.querySelector(".result");
    out.hidden = false;
    out.textContent = method + " " + path + "…";
    var qs = query.toString();
    fetch(path + (qs ? "?" + qs : ""), init).then(function (r) {
      return r.text().then(function (text) {
        var shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {}
        out.textContent = r.status + " " + r.statusText + "  (X-Request-Id: " + r.headers.get("x-request-id") + ")\\n\\n" + shown;
      });
    }).catch(function (e) { out.textContent = "request failed: " + e; });
  });
})();
`;

export function renderDocsPage(doc: Doc): string {
  const { nav, body } = renderOperations(doc);
  const title = `${doc.info.title} ${doc.info.version}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style nonce="__NONCE__">${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<a href="/openapi.json">/openapi.json</a>
<label> · API token <input id="token" type="password" autocomplete="off" placeholder="bwk_… (kept in this tab only)"></label>
<nav>${nav}</nav>
</header>
<main>
<section class="intro">${markdown(doc.info.description)}</section>
${body}
</main>
<script nonce="__NONCE__">${SCRIPT}</script>
</body>
</html>
`;
}
