import { SEVERITIES, type SeverityCounts } from "@bulwark/schema";

export function SeverityBadge(props: { severity: string }) {
  return <span class={`sev sev-${props.severity}`}>{props.severity}</span>;
}

/** Open counts per severity as a compact list (only the non-zero ones, "none" when all are zero). */
export function CountsList(props: { counts: SeverityCounts; label?: string }) {
  const shown = SEVERITIES.filter((s) => props.counts[s] > 0);
  if (shown.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="counts" aria-label={props.label}>
      {shown.map((s) => (
        <li>
          <SeverityBadge severity={s} /> {props.counts[s]}
        </li>
      ))}
    </ul>
  );
}

export function total(counts: SeverityCounts): number {
  return SEVERITIES.reduce((n, s) => n + counts[s], 0);
}

export function Score(props: { score: number; big?: boolean }) {
  const band = props.score >= 80 ? "good" : props.score >= 50 ? "fair" : "poor";
  return <span class={`score score-${band}${props.big ? " big" : ""}`}>{props.score}</span>;
}

export function Time(props: { at: Date | string | null }) {
  if (!props.at) return <span class="muted">never</span>;
  const iso = typeof props.at === "string" ? props.at : props.at.toISOString();
  return <time datetime={iso}>{iso.replace("T", " ").slice(0, 16)} UTC</time>;
}

/** A read-only value with a button that copies it (the button is added by console.js when scripts run). */
export function Copyable(props: { id: string; label: string; text: string }) {
  return (
    <div class="copyable">
      <p class="muted copy-label" id={`${props.id}-label`}>
        {props.label}
      </p>
      <pre id={props.id}>{props.text}</pre>
      <button type="button" class="copy" data-copy={props.id} hidden>
        Copy
      </button>
    </div>
  );
}
