/**
 * The tenant-side HTTP client of the end-to-end tests: JSON calls with a Bearer token against a running API,
 * and waiting for a report to finish. `current` is read per call, as the API and token are made in beforeAll.
 */
export interface E2eTarget {
  url: string;
  token: string;
}

export interface ReportOutcome {
  status: string;
  stats: Record<string, number>;
  error: string | null;
}

export function e2eClient(current: () => E2eTarget) {
  async function call<T = Record<string, unknown>>(
    path: string,
    init: { method?: string; body?: unknown; auth?: string } = {},
  ) {
    const { url, token } = current();
    const res = await fetch(new URL(path, url), {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${init.auth ?? token}`, "content-type": "application/json" },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function waitFor(reportId: string, timeoutMs = 20_000): Promise<ReportOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await call<ReportOutcome>(`/v1/reports/${reportId}`);
      if (r.body.status === "done" || r.body.status === "failed") return r.body;
      if (Date.now() > deadline) throw new Error(`report ${reportId} still ${r.body.status}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  return { call, waitFor };
}
