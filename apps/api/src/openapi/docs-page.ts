/**
 * GET /docs: one self-contained page (no CDN: operators may be offline) that fetches /openapi.json and
 * renders every path, method, summary, parameter, request body and response. Text goes in via textContent,
 * never innerHTML, so nothing in the document can inject markup.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bulwark API</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f8fa; }
  main { max-width: 1000px; margin: 0 auto; padding: 24px; }
  h1 { margin: 0 0 8px; } h2 { margin: 32px 0 8px; border-bottom: 1px solid #d0d7de; text-transform: capitalize; }
  pre { background: #fff; border: 1px solid #d0d7de; padding: 12px; overflow-x: auto; white-space: pre-wrap; }
  details.op { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 8px 0; }
  details.op > summary { cursor: pointer; padding: 8px 12px; font-family: ui-monospace, monospace; }
  details.op > div { padding: 0 12px 12px; }
  .m { display: inline-block; min-width: 64px; font-weight: 700; text-transform: uppercase; }
  .get { color: #0969da; } .post { color: #1a7f37; } .delete { color: #cf222e; } .patch, .put { color: #9a6700; }
  .sum { font-family: system-ui, sans-serif; color: #57606a; margin-left: 8px; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
  td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
  code { font-family: ui-monospace, monospace; }
</style>
</head>
<body><main>
<h1 id="title">Bulwark API</h1>
<p>Machine-readable document: <a href="/openapi.json">/openapi.json</a></p>
<pre id="description">Loading…</pre>
<div id="paths"></div>
</main>
<script>
(function () {
  var METHODS = ["get", "post", "put", "patch", "delete"];
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function resolve(doc, s) {
    var seen = 0;
    while (s && s.$ref && seen++ < 20) {
      var name = s.$ref.split("/").pop();
      s = (doc.components && doc.components.schemas && doc.components.schemas[name]) || {};
    }
    return s || {};
  }
  function shape(doc, s, depth) {
    s = resolve(doc, s);
    if (depth > 6) return "…";
    var variants = s.anyOf || s.oneOf || s.allOf;
    if (variants) return variants.map(function (v) { return shape(doc, v, depth + 1); }).join(" | ");
    if (s.enum) return s.enum.map(function (v) { return JSON.stringify(v); }).join(" | ");
    if (s.const !== undefined) return JSON.stringify(s.const);
    var t = Array.isArray(s.type) ? s.type.join(" | ") : s.type;
    if (t === "array" || (s.items && !t)) return "[" + shape(doc, s.items || {}, depth + 1) + "]";
    if (s.properties) {
      var pad = new Array(depth + 2).join("  ");
      var req = s.required || [];
      var lines = Object.keys(s.properties).map(function (k) {
        return pad + k + (req.indexOf(k) >= 0 ? "" : "?") + ": " + shape(doc, s.properties[k], depth + 1);
      });
      return "{\\n" + lines.join("\\n") + "\\n" + new Array(depth + 1).join("  ") + "}";
    }
    if (s.additionalProperties) return "{ [key]: " + shape(doc, s.additionalProperties, depth + 1) + " }";
    return t || "any";
  }
  function params(doc, op) {
    var list = op.parameters || [];
    if (!list.length) return null;
    var table = el("table");
    var head = el("tr");
    ["name", "in", "required", "type", "description"].forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(head);
    list.forEach(function (p) {
      var tr = el("tr");
      tr.appendChild(el("td", p.name, "code"));
      tr.appendChild(el("td", p.in));
      tr.appendChild(el("td", p.required ? "yes" : "no"));
      tr.appendChild(el("td", shape(doc, p.schema || {}, 0)));
      tr.appendChild(el("td", p.description || (p.schema && p.schema.description) || ""));
      table.appendChild(tr);
    });
    return table;
  }
  function content(doc, c, box) {
    Object.keys(c || {}).forEach(function (type) {
      box.appendChild(el("div", type, "code"));
      box.appendChild(el("pre", shape(doc, c[type].schema || {}, 0)));
    });
  }
  function operation(doc, path, method, op) {
    var d = el("details", null, "op");
    var s = el("summary");
    s.appendChild(el("span", method, "m " + method));
    s.appendChild(el("span", path));
    s.appendChild(el("span", op.summary || "", "sum"));
    d.appendChild(s);
    var body = el("div");
    if (op.description) body.appendChild(el("pre", op.description));
    if (op.security && op.security.length) body.appendChild(el("p", "Auth: " + op.security.map(function (x) { return Object.keys(x).join(", "); }).join("; ")));
    var p = params(doc, op);
    if (p) { body.appendChild(el("h4", "Parameters")); body.appendChild(p); }
    if (op.requestBody) { body.appendChild(el("h4", "Request body")); content(doc, op.requestBody.content, body); }
    body.appendChild(el("h4", "Responses"));
    Object.keys(op.responses || {}).forEach(function (code) {
      var r = op.responses[code];
      body.appendChild(el("p", code + " — " + (r.description || "")));
      content(doc, r.content, body);
    });
    d.appendChild(body);
    return d;
  }
  fetch("/openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
    document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
    document.getElementById("description").textContent = doc.info.description || "";
    var groups = {};
    Object.keys(doc.paths).sort().forEach(function (path) {
      METHODS.forEach(function (m) {
        var op = doc.paths[path][m];
        if (!op) return;
        var tag = (op.tags && op.tags[0]) || "other";
        (groups[tag] = groups[tag] || []).push(operation(doc, path, m, op));
      });
    });
    var out = document.getElementById("paths");
    var order = (doc.tags || []).map(function (t) { return t.name; });
    function rank(tag) { var i = order.indexOf(tag); return i < 0 ? order.length : i; }
    Object.keys(groups).sort(function (a, b) { return rank(a) - rank(b); })
      .forEach(function (tag) {
        out.appendChild(el("h2", tag));
        groups[tag].forEach(function (d) { out.appendChild(d); });
      });
  }).catch(function (e) {
    document.getElementById("description").textContent = "Could not load /openapi.json: " + e;
  });
})();
</script>
</body>
</html>
`;
