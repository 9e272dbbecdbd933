import { CATEGORIES, SEVERITIES, SOURCES, STRATEGIES } from "@bulwark/schema";
import type { FindingsQuery } from "../lib/findings-query.js";

const SORTS: [string, string][] = [
  ["severity", "Most severe first"],
  ["-severity", "Least severe first"],
  ["-lastSeenAt", "Least recently seen first"],
  ["lastSeenAt", "Most recently seen first"],
  ["-firstSeenAt", "Oldest first"],
  ["firstSeenAt", "Newest first"],
  ["ruleId", "Rule id A–Z"],
  ["-ruleId", "Rule id Z–A"],
];

function Select(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: [string, string][];
  any?: string;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        {props.any !== undefined ? <option value="">{props.any}</option> : null}
        {props.options.map(([v, l]) => (
          <option value={v} selected={v === props.value}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

function Text(props: { id: string; label: string; value: string | undefined; type?: string }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name={props.id} type={props.type ?? "text"} value={props.value ?? ""} />
    </div>
  );
}

/** Every filter of GET /v1/findings as a GET form: submitting it gives a shareable URL. */
export function FindingFilters(props: {
  q: FindingsQuery;
  clusters: { id: string; name: string }[];
  action: string;
}) {
  const { q } = props;
  return (
    <form method="get" action={props.action} class="filters" aria-label="Filters">
      <Select
        id="cluster"
        label="Cluster"
        value={q.cluster}
        any="All clusters"
        options={props.clusters.map((c) => [c.name, c.name])}
      />
      <Select
        id="source"
        label="Source"
        value={q.source}
        any="All sources"
        options={SOURCES.map((s) => [s, s])}
      />
      <fieldset class="severities">
        <legend>Severity</legend>
        {SEVERITIES.map((s) => (
          <label class="check">
            <input type="checkbox" name="severity" value={s} checked={q.severity?.includes(s) ?? false} /> {s}
          </label>
        ))}
      </fieldset>
      <Select
        id="category"
        label="Category"
        value={q.category}
        any="All categories"
        options={CATEGORIES.map((c) => [c.id, `${c.id} · ${c.name}`])}
      />
      <Select
        id="strategy"
        label="Strategy"
        value={q.strategy}
        any="All strategies"
        options={STRATEGIES.map((s) => [s.id, `${s.id} · ${s.name}`])}
      />
      <Text id="namespace" label="Namespace" value={q.namespace} />
      <Text id="kind" label="Kind" value={q.kind} />
      <Text id="name" label="Resource name" value={q.name} />
      <Text id="ruleId" label="Rule id" value={q.ruleId} />
      <Text id="q" label="Title or rule contains" value={q.q} type="search" />
      <Text id="since" label="First seen since" value={q.since?.slice(0, 10)} type="date" />
      <Select
        id="status"
        label="Status"
        value={q.status}
        options={[
          ["open", "Open"],
          ["suppressed", "Suppressed"],
          ["resolved", "Resolved"],
          ["all", "All"],
        ]}
      />
      <Select id="sort" label="Sort" value={q.sort} options={SORTS} />
      <Select
        id="limit"
        label="Per page"
        value={String(q.limit)}
        options={["25", "50", "100", "200"].map((n) => [n, n])}
      />
      <div class="actions">
        <button type="submit">Apply</button>
        <a href={props.action}>Reset</a>
      </div>
    </form>
  );
}
