import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { axeViolations, hasChromium, reach, signedInPage, useConsole } from "./support.js";

const c = useConsole();

describe.skipIf(!hasChromium)("console: clusters and mesh", { timeout: 120_000 }, () => {
  it("an admin sees each cluster's last reports and keys, and adds a cluster with a Helm install command", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "admin");
    await page.getByRole("link", { name: "Clusters", exact: true }).click();
    await reach(page, /\/app\/clusters$/);
    await expect(page.getByText("kube-bench output held no recognisable check").count()).resolves.toBe(1);
    await expect(page.getByText("Signing keys:").count()).resolves.toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Name", { exact: true }).fill("edge-1");
    await page.getByRole("button", { name: "Create cluster" }).click();
    await reach(page, /\/app\/clusters$/);
    const install = await page.locator("#helm-install").textContent();
    expect(install).toContain("helm install bulwark-collector");
    expect(install).toMatch(/key-id=key_/);
    expect(install).toContain(`bulwark.url=${c.env.url}`);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the mesh page shows coverage per cluster and mesh findings with their YAML; a viewer cannot add clusters", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "viewer");
    await page.getByRole("link", { name: "Mesh", exact: true }).click();
    await reach(page, /\/app\/mesh$/);
    expect(await page.getByRole("row", { name: /prod-eu-1/ }).textContent()).toContain("75 %");
    expect(await page.locator("#fix-0").textContent()).toContain("mode: STRICT");
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${c.env.url}/app/clusters`);
    expect(await page.getByRole("button", { name: "Create cluster" }).count()).toBe(0);
    expect(await page.getByText("Signing keys:").count()).toBe(0);
    const csrf = (await context.cookies()).find((k) => k.name === "__Host-bulwark_csrf")?.value ?? "";
    const forced = await context.request.post(`${c.env.url}/app/clusters`, {
      form: { _csrf: csrf, name: "sneaky" },
      headers: { origin: c.env.url },
    });
    expect(forced.status()).toBe(403);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("an admin's settings: members, invitations, tokens (shown once), SSO, SLA policy and the audit log", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "admin");
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await reach(page, /\/app\/settings$/);
    expect(await page.getByText("admin@console.test").count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Token name").fill("ci-readonly");
    await page.getByRole("button", { name: "Create token" }).click();
    await reach(page, /\/app\/settings\/tokens$/);
    expect(await page.locator("#new-token").textContent()).toMatch(/\S{20,}/);
    // an invitation is e-mailed (the harness has a mail server); an admin revokes it from the list
    await page.goto(`${c.env.url}/app/settings`);
    await page.locator("#invite-email").fill("newcomer@console.test");
    await page.getByRole("button", { name: "Invite" }).click();
    await reach(page, /notice=Invitation%20e-mailed/);
    await page.getByRole("button", { name: "Revoke the invitation of newcomer@console.test" }).click();
    await reach(page, /notice=Invitation%20revoked/);
    expect(await page.getByText("newcomer@console.test").count()).toBe(0);
    const all = await context.request.get(`${c.env.url}/v1/invitations?status=all`, {
      headers: { authorization: `Bearer ${c.env.adminToken}` },
    });
    const invited = ((await all.json()) as { items: { email: string; status: string }[] }).items;
    expect(invited.find((i) => i.email === "newcomer@console.test")).toMatchObject({ status: "revoked" });
    // without a mail server (the same API and database, no SMTP_URL) the single-use link is shown once on the
    // answer, never put in a URL; the session's cookies hold on another port of the same host
    const noMail = serve({
      fetch: createApp({ ...c.env.h.deps, mailer: null }).fetch,
      port: 0,
      hostname: "127.0.0.1",
    });
    await new Promise<void>((r) => noMail.once("listening", () => r()));
    const other = new URL(c.env.url);
    other.port = String((noMail.address() as AddressInfo).port);
    try {
      await page.goto(`${other.origin}/app/settings`);
      await page.locator("#invite-email").fill("by-hand@console.test");
      await page.getByRole("button", { name: "Invite" }).click();
      await reach(page, /\/app\/settings\/invitations$/);
    } finally {
      await new Promise<void>((r) => noMail.close(() => r()));
    }
    const link = (await page.locator("#invitation-link").textContent())?.trim() ?? "";
    expect(link).toContain("/v1/auth/invitations/accept?token=");
    expect(page.url()).not.toContain("token");
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${c.env.url}/app/settings`);
    await page.getByLabel("critical", { exact: true }).fill("3");
    await page.getByRole("button", { name: "Save SLA" }).click();
    await reach(page, /notice=SLA/);
    expect(await page.getByLabel("critical", { exact: true }).inputValue()).toBe("3");
    expect(await page.getByText("POST /app/settings/sla").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
