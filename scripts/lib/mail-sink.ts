import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { SMTPServer } from "smtp-server";

export interface MailSink {
  url: string;
  dir: string;
  /** the .eml files written so far, oldest first */
  files: string[];
  stop(): Promise<void>;
}

/**
 * The demo's local SMTP server: accepts every message on 127.0.0.1 and writes it, as received, to
 * `<dir>/<time>-<n>.eml` (open it in any mail client). Nothing leaves the machine.
 */
export async function startMailSink(dir: string): Promise<MailSink> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const file = resolve(
          dir,
          `${new Date().toISOString().replace(/[:.]/g, "-")}-${files.length + 1}.eml`,
        );
        writeFileSync(file, Buffer.concat(chunks));
        files.push(file);
        callback();
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    files,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
