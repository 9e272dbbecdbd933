/** The request log: probes answered well are debug lines (a kubelet asks every few seconds), the rest info. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({}, { captureLogs: true });
});
afterAll(() => h.close());

it("logs /readyz, /healthz and /metrics at debug, and other requests at info", async () => {
  for (const path of ["/readyz", "/healthz", "/metrics", "/v1/clusters"]) await h.app.request(path);
  const lines = h.logs.map(
    (l) => JSON.parse(l) as { level: number; msg: string; route: string; status: number },
  );
  const level = (route: string) => lines.find((l) => l.msg === "request" && l.route === route)?.level;
  expect(level("/readyz")).toBe(20);
  expect(level("/healthz")).toBe(20);
  expect(level("/metrics")).toBe(20);
  expect(level("/v1/clusters")).toBe(30);
});
