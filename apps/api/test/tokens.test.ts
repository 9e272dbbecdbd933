import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

type Problem = { status: number; errors?: { location: string; message: string }[] };
type Created = {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  createdAt: string;
  token: string;
};

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await createHarness();
  ({ token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN));
});
afterAll(async () => {
  await h?.close();
});

describe("API tokens", () => {
  it("creates a token shown once, lists it without the secret, revokes it", async () => {
    const res = await call<Created>(h.app, "POST", "/v1/tokens", {
      token,
      body: { name: "ci", scopes: ["read", "write"] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^tok_/),
      name: "ci",
      scopes: ["read", "write"],
      prefix: res.body.token.slice(0, 10),
      createdAt: expect.any(String),
      expiresAt: null,
      userId: null,
      token: expect.stringMatching(/^bwk_/),
    });
    const list = await call<{ items: (Omit<Created, "token"> & { revokedAt: string | null })[] }>(
      h.app,
      "GET",
      "/v1/tokens",
      { token },
    );
    expect(list.body.items.map((t) => t.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    expect(list.body.items[0]).not.toHaveProperty("token");

    expect((await call(h.app, "DELETE", `/v1/tokens/${res.body.id}`, { token })).status).toBe(204);
    expect((await call(h.app, "DELETE", `/v1/tokens/${res.body.id}`, { token })).status).toBe(204);
    const after = await call<{ items: { id: string; revokedAt: string | null }[] }>(
      h.app,
      "GET",
      "/v1/tokens",
      {
        token,
      },
    );
    expect(after.body.items.find((t) => t.id === res.body.id)?.revokedAt).toEqual(expect.any(String));
    expect((await call(h.app, "GET", "/v1/reports", { token: res.body.token })).status).toBe(401);
  });

  it.each([
    [{ name: "x", scopes: [] }, "body.scopes"],
    [{ name: "x", scopes: ["root"] }, "body.scopes.0"],
    [{ name: "x", scopes: ["read", "read"] }, "body.scopes"],
    [{ name: "", scopes: ["read"] }, "body.name"],
    [{ scopes: ["read"] }, "body.name"],
  ])("400 for %j", async (body, location) => {
    const res = await call<Problem>(h.app, "POST", "/v1/tokens", { token, body });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.location)).toContain(location);
  });

  it("404 for an unknown token id", async () => {
    expect((await call(h.app, "DELETE", "/v1/tokens/tok_nope", { token })).status).toBe(404);
  });

  it("needs the admin scope", async () => {
    const rw = await call<Created>(h.app, "POST", "/v1/tokens", {
      token,
      body: { name: "rw", scopes: ["read", "write"] },
    });
    expect((await call(h.app, "GET", "/v1/tokens", { token: rw.body.token })).status).toBe(403);
    expect(
      (
        await call(h.app, "POST", "/v1/tokens", {
          token: rw.body.token,
          body: { name: "y", scopes: ["admin"] },
        })
      ).status,
    ).toBe(403);
  });
});
