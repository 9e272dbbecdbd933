/**
 * Server-side rendering of the OpenAPI document for GET /docs: every operation with its parameters, body and
 * responses, and the Markdown of the descriptions as HTML. Markdown comes only from this code's own route
 * definitions; everything else (names, examples, enum values) is escaped.
 */
import { marked } from "marked";

type Rec = Record<string, unknown>;
export type Doc = {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, object | undefined>;
  components?: { schemas?: Record<string, unknown> };
};

export const METHODS = ["get", "post", "put", "patch", "delete"] as const;

export function esc(s: unknown): string {
  return String(s ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function markdown(text: string | undefined): string {
  if (!text) return "";
  return marked.parse(text, { async: false, gfm: true });
}

function resolve(doc: Doc, s: unknown): Rec {
  let cur = s as Rec | undefined;
  for (let i = 0; cur && typeof cur.$ref === "string" && i < 20; i++) {
    cur = doc.components?.schemas?.[cur.$ref.split("/").pop() as string] as Rec | undefined;
  }
  return cur ?? {};
}

/** A schema as a TypeScript-like outline: `{ name: string, tags?: [string] }`. */
export function shape(doc: Doc, schema: unknown, depth = 0): string {
  const s = resolve(doc, schema);
  if (depth > 6) return "…";
  const variants = (s.anyOf ?? s.oneOf ?? s.allOf) as unknown[] | undefined;
  if (variants) return variants.map((v) => shape(doc, v, depth + 1)).join(" | ");
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const t = Array.isArray(s.type) ? s.type.join(" | ") : (s.type as string | undefined);
  if (t === "array" || (s.items && !t)) return `[${shape(doc, s.items ?? {}, depth + 1)}]`;
  if (s.properties) {
    const pad = "  ".repeat(depth + 1);
    const req = (s.required as string[] | undefined) ?? [];
    const lines = Object.entries(s.properties as Rec).map(
      ([k, v]) => `${pad}${k}${req.includes(k) ? "" : "?"}: ${shape(doc, v, depth + 1)}`,
    );
    return `{\n${lines.join("\n")}\n${"  ".repeat(depth)}}`;
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object")
    return `{ [key]: ${shape(doc, s.additionalProperties, depth + 1)} }`;
  return t ?? "any";
}

/** A JSON example for a request body: the schema's example, else one built from its properties. */
export function example(doc: Doc, schema: unknown, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return s.example;
  if (depth > 4) return null;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (variants?.[0]) return example(doc, variants[0], depth + 1);
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  if (t === "object" || s.properties) {
    const req = (s.required as string[] | undefined) ?? [];
    const out: Rec = {};
    for (const [k, v] of Object.entries((s.properties as Rec | undefined) ?? {}))
      if (req.includes(k)) out[k] = example(doc, v, depth + 1);
    return out;
  }
  if (t === "array") return [];
  if (t === "integer" || t === "number") return 0;
  if (t === "boolean") return false;
  return "";
}

interface Param {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Rec;
}

function paramsTable(doc: Doc, params: Param[]): string {
  if (params.length === 0) return "";
  const rows = params.map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? "yes" : "no"}</td>` +
      `<td><code>${esc(shape(doc, p.schema ?? {}))}</code></td><td>${esc(p.description ?? p.schema?.description ?? "")}</td></tr>`,
  );
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>type</th><th>description</th></tr>${rows.join("")}</table>`;
}

function content(doc: Doc, c: unknown): string {
  return Object.entries((c as Rec | undefined) ?? {})
    .map(
      ([type, v]) =>
        `<div class="ct">${esc(type)}</div><pre>${esc(shape(doc, (v as Rec).schema ?? {}))}</pre>`,
    )
    .join("");
}

/** The "try it" form: inputs for path and query parameters, a body, and where the answer appears. */
function tryForm(doc: Doc, path: string, method: string, op: Rec, params: Param[]): string {
  const security = op.security as Rec[] | undefined;
  if (security?.some((s) => "signedUpload" in s))
    return `<p class="note">Uploads are signed with a cluster's key: send them with the collector (see the description), not from this page.</p>`;
  const inputs = params
    .filter((p) => p.in === "path" || p.in === "query")
    .map(
      (p) =>
        `<label>${esc(p.name)}${p.required ? " *" : ""} <input data-in="${esc(p.in)}" name="${esc(p.name)}"` +
        `${p.required ? " required" : ""} placeholder="${esc(p.schema?.example ?? "")}"></label>`,
    );
  const body = (op.requestBody as Rec | undefined)?.content as Rec | undefined;
  const jsonBody = body?.["application/json"] as Rec | undefined;
  const textarea = jsonBody
    ? `<label>body <textarea name="body" rows="6">${esc(JSON.stringify(example(doc, jsonBody.schema), null, 2))}</textarea></label>`
    : "";
  return (
    `<form class="try" data-method="${esc(method.toUpperCase())}" data-path="${esc(path)}">` +
    `${inputs.join("")}${textarea}<button type="submit">Send ${esc(method.toUpperCase())} ${esc(path)}</button>` +
    `<pre class="result" hidden></pre></form>`
  );
}

export function renderOperation(doc: Doc, path: string, method: string, op: Rec): string {
  const params = (op.parameters as Param[] | undefined) ?? [];
  const security = (op.security as Rec[] | undefined) ?? [];
  const auth = security.length === 0 ? "none" : security.map((s) => Object.keys(s).join(" + ")).join(" or ");
  const responses = Object.entries((op.responses as Rec | undefined) ?? {})
    .map(
      ([code, r]) =>
        `<p><b>${esc(code)}</b> ${esc((r as Rec).description)}</p>${content(doc, (r as Rec).content)}`,
    )
    .join("");
  const id = typeof op.operationId === "string" ? op.operationId : `${method}-${path}`;
  return (
    `<details class="op" id="op-${esc(id)}"><summary><span class="m ${method}">${esc(method)}</span>` +
    `<code>${esc(path)}</code><span class="sum">${esc(op.summary)}</span></summary><div>` +
    `<p class="meta">operationId <code>${esc(op.operationId)}</code> · auth: ${esc(auth)}</p>` +
    markdown(op.description as string | undefined) +
    paramsTable(doc, params) +
    (op.requestBody ? `<h4>Request body</h4>${content(doc, (op.requestBody as Rec).content)}` : "") +
    `<h4>Responses</h4>${responses}<h4>Try it</h4>${tryForm(doc, path, method, op, params)}</div></details>`
  );
}

/** Every operation grouped by its first tag, in the document's tag order. */
export function renderOperations(doc: Doc): { nav: string; body: string } {
  const groups = new Map<string, string[]>();
  for (const t of doc.tags ?? []) groups.set(t.name, []);
  for (const path of Object.keys(doc.paths ?? {}).sort()) {
    for (const method of METHODS) {
      const op = (doc.paths?.[path] as Rec | undefined)?.[method] as Rec | undefined;
      if (!op) continue;
      const tag = (op.tags as string[] | undefined)?.[0] ?? "other";
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)?.push(renderOperation(doc, path, method, op));
    }
  }
  const described = new Map((doc.tags ?? []).map((t) => [t.name, t.description ?? ""]));
  const used = [...groups].filter(([, ops]) => ops.length > 0);
  const nav = used.map(([tag]) => `<a href="#tag-${esc(tag)}">${esc(tag)}</a>`).join(" ");
  const body = used
    .map(
      ([tag, ops]) =>
        `<section id="tag-${esc(tag)}"><h2>${esc(tag)}</h2><p>${esc(described.get(tag))}</p>${ops.join("")}</section>`,
    )
    .join("");
  return { nav, body };
}
