import type { HistoryPoint } from "@bulwark/insights";
import { SEVERITIES } from "@bulwark/schema";
import type { PostureOverview } from "../../services/posture/overview.js";
import { Layout } from "../components/layout.js";
import { Scroll } from "../components/scroll.js";
import { CountsList, Score, Time, total } from "../components/ui.js";
import type { Viewer } from "../guard.js";

const findingsLink = (q: Record<string, string>) => `/app/findings?${new URLSearchParams(q).toString()}`;

function Delta(props: { now: number; then: number; lowerIsBetter?: boolean }) {
  const d = props.now - props.then;
  if (d === 0) return <span class="muted">±0</span>;
  const better = props.lowerIsBetter ? d < 0 : d > 0;
  return <span class={better ? "delta-good" : "delta-bad"}>{d > 0 ? `+${d}` : String(d)}</span>;
}

/** Now against yesterday's and last week's history points: score, open per severity, strategies that moved. */
function Changes(props: { overview: PostureOverview }) {
  const { posture, earlier } = props.overview;
  const cols = [
    { label: "Since yesterday", p: earlier.day },
    { label: "Since last week", p: earlier.week },
  ];
  const scoreNow = new Map(posture.categories.flatMap((c) => c.strategies.map((s) => [s.id, s] as const)));
  const moved = (p: HistoryPoint | null) =>
    (p?.strategies ?? [])
      .map((s) => ({ id: s.id, before: s.score, now: scoreNow.get(s.id)?.score ?? s.score }))
      .filter((s) => s.now !== s.before)
      .sort((a, b) => Math.abs(b.now - b.before) - Math.abs(a.now - a.before))
      .slice(0, 6);
  return (
    <table class="compact">
      <caption>What changed</caption>
      <thead>
        <tr>
          <th scope="col">Now</th>
          {cols.map((c) => (
            <th scope="col">{c.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Score {posture.score}</th>
          {cols.map((c) => (
            <td>
              {c.p ? <Delta now={posture.score} then={c.p.score} /> : <span class="muted">no point</span>}
            </td>
          ))}
        </tr>
        {SEVERITIES.map((s) => (
          <tr>
            <th scope="row">
              {posture.open[s]} open {s}
            </th>
            {cols.map((c) => (
              <td>{c.p ? <Delta now={posture.open[s]} then={c.p.open[s]} lowerIsBetter /> : "—"}</td>
            ))}
          </tr>
        ))}
        <tr>
          <th scope="row">Strategies that moved</th>
          {cols.map((c) => (
            <td>
              {moved(c.p).length === 0 ? (
                <span class="muted">none</span>
              ) : (
                <ul class="plain">
                  {moved(c.p).map((m) => (
                    <li>
                      <code>{m.id}</code> {m.before} → {m.now}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function Trend(props: { overview: PostureOverview }) {
  const points = props.overview.history;
  const first = points[0];
  const last = points.at(-1);
  const data = {
    days: points.map((p) => p.at),
    score: points.map((p) => p.score),
    critical: points.map((p) => p.open.critical),
    high: points.map((p) => p.open.high),
  };
  const weekAgo = points.at(-8);
  return (
    <section aria-labelledby="trend-h">
      <h2 id="trend-h">90-day trend</h2>
      {points.length === 0 ? (
        <p class="muted">No history yet: the first point is written when a report is applied.</p>
      ) : (
        <>
          <p>
            Score {first?.score} on <Time at={first?.at ?? null} /> → {last?.score} today
            {weekAgo ? `; ${weekAgo.score} a week ago` : ""}.
          </p>
          <figure class="chart">
            <div
              id="trend-chart"
              class="chart-box"
              data-series="trend-data"
              role="img"
              aria-label="Posture score and open critical and high findings per day over 90 days"
            />
            <script
              type="application/json"
              id="trend-data"
              dangerouslySetInnerHTML={{ __html: JSON.stringify(data).replaceAll("<", "\\u003c") }}
            />
            <figcaption class="muted">
              Score (0–100) and open critical and high findings per UTC day.
            </figcaption>
          </figure>
          <details>
            <summary>The points as a table</summary>
            <Scroll label="Trend points">
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Score</th>
                    {SEVERITIES.map((s) => (
                      <th scope="col">{s}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...points].reverse().map((p) => (
                    <tr>
                      <td>{p.at}</td>
                      <td>{p.score}</td>
                      {SEVERITIES.map((s) => (
                        <td>{p.open[s]}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          </details>
        </>
      )}
    </section>
  );
}

export function PosturePage(props: { viewer: Viewer; overview: PostureOverview; notice?: string }) {
  const { posture, silent } = props.overview;
  return (
    <Layout title="Posture" viewer={props.viewer} section="posture" notice={props.notice} scripts={["chart"]}>
      <section class="summary-row" aria-label="Overall">
        <div class="card">
          <h2>Overall score</h2>
          <Score score={posture.score} big />
          <p class="muted">
            {total(posture.open)} open findings · {posture.resolved} resolved in 7 days
          </p>
        </div>
        <div class="card">
          <h2>Open by severity</h2>
          <CountsList counts={posture.open} label="Open findings by severity" />
        </div>
        <div class="card">
          <h2>Silent collectors</h2>
          {silent.length === 0 ? (
            <p class="muted">Every cluster reported recently.</p>
          ) : (
            <ul class="silent">
              {silent.map((s) => (
                <li>
                  <a href={`/app/clusters#${s.id}`}>{s.name}</a>: last report <Time at={s.lastReportAt} />
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
      <Trend overview={props.overview} />
      <Changes overview={props.overview} />
      <section aria-labelledby="cat-h">
        <h2 id="cat-h">Categories and strategies (NIST SP 800-204)</h2>
        <Scroll label="Categories and strategies">
          <table class="posture">
            <thead>
              <tr>
                <th scope="col">Category / strategy</th>
                <th scope="col">Score</th>
                <th scope="col">Open</th>
                <th scope="col">Resolved (7 d)</th>
              </tr>
            </thead>
            {posture.categories.map((cat) => (
              <tbody>
                <tr class="cat">
                  <th scope="row">
                    <a href={findingsLink({ category: cat.id })}>{cat.name}</a>
                  </th>
                  <td>
                    <Score score={cat.score} />
                  </td>
                  <td>
                    <CountsList counts={cat.open} label={`${cat.name}: open`} />
                  </td>
                  <td>{cat.resolved}</td>
                </tr>
                {cat.strategies.map((s) => (
                  <tr>
                    <th scope="row" class="strategy">
                      <a href={findingsLink({ strategy: s.id })}>
                        <code>{s.id}</code> {s.name}
                      </a>
                    </th>
                    <td>
                      <Score score={s.score} />
                    </td>
                    <td>
                      <CountsList counts={s.open} label={`${s.id}: open`} />
                    </td>
                    <td>{s.resolved}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </Scroll>
      </section>
    </Layout>
  );
}
