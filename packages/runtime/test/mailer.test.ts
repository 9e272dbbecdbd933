import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtp, type TestSmtp } from "../../../test/support/smtp.js";
import { ConfigError, createMailer, loadConfig } from "../src/index.js";

const base = {
  DATABASE_URL: "postgres://x@127.0.0.1/x",
  REDIS_URL: "redis://127.0.0.1:6379",
  ADMIN_TOKEN: "a".repeat(24),
  SECRETS_KEY: Buffer.alloc(32).toString("base64"),
};

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp({ user: "bulwark", pass: "s3cret pass" });
});
afterAll(async () => {
  await smtp?.close();
});

describe("mailer", () => {
  it("is absent without SMTP_URL, and SMTP_URL needs MAIL_FROM", () => {
    expect(createMailer(loadConfig(base))).toBeNull();
    expect(() => loadConfig({ ...base, SMTP_URL: "smtp://127.0.0.1:25" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SMTP_URL: "http://mail", MAIL_FROM: "a@b.c" })).toThrow(/SMTP_URL/);
  });

  it("sends through a real SMTP server with authentication", async () => {
    const mailer = createMailer(
      loadConfig({ ...base, SMTP_URL: smtp.url, MAIL_FROM: "Bulwark <noreply@bulwark.test>" }),
    );
    if (!mailer) throw new Error("mailer expected");
    try {
      await mailer.send({
        to: "ada@example.com",
        subject: "Ünïcode subject",
        text: "plain body",
        html: "<p>html body</p>",
      });
      const mail = await smtp.next();
      expect(mail.envelope).toEqual({ from: "noreply@bulwark.test", to: ["ada@example.com"] });
      expect(mail.parsed.subject).toBe("Ünïcode subject");
      expect(mail.parsed.from?.value[0]).toMatchObject({ name: "Bulwark", address: "noreply@bulwark.test" });
      expect(mail.parsed.text?.trim()).toBe("plain body");
      expect(mail.parsed.html).toContain("<p>html body</p>");
    } finally {
      mailer.close();
    }
  });

  it("rejects when the server refuses the recipient or the credentials", async () => {
    const mailer = createMailer(
      loadConfig({ ...base, SMTP_URL: smtp.url, MAIL_FROM: "noreply@bulwark.test" }),
    );
    const badAuth = createMailer(
      loadConfig({
        ...base,
        SMTP_URL: smtp.url.replace("s3cret", "wrong"),
        MAIL_FROM: "noreply@bulwark.test",
      }),
    );
    if (!mailer || !badAuth) throw new Error("mailer expected");
    try {
      await expect(mailer.send({ to: "x@reject.example", subject: "s", text: "t" })).rejects.toThrow();
      await expect(badAuth.send({ to: "ada@example.com", subject: "s", text: "t" })).rejects.toThrow();
    } finally {
      mailer.close();
      badAuth.close();
    }
  });
});
