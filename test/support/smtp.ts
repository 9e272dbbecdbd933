import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpSink {
  url: string;
  /** every message the server accepted (250 after DATA), parsed */
  messages: ParsedMail[];
  /** sessions whose DATA was received but held unanswered (see holdNext) */
  held: number;
  /** answer the next N messages' DATA with nothing at all (the client waits; the message is never accepted) */
  holdNext(n: number): void;
  /** answer the next N messages with this SMTP error code */
  failNext(n: number, code: number, message: string): void;
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on a free port, parsing what it accepts with mailparser. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let hold = 0;
  let fail: { n: number; code: number; message: string } = { n: 0, code: 0, message: "" };
  const sink: SmtpSink = {
    url: "",
    messages,
    held: 0,
    holdNext(n) {
      hold = n;
    },
    failNext(n, code, message) {
      fail = { n, code, message };
    },
    async waitFor(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`SMTP sink: ${messages.length} of ${n} messages`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return messages;
    },
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (hold > 0) {
          hold--;
          sink.held++;
          return; // never answered: the client is left waiting, as when a worker dies mid-dialogue
        }
        if (fail.n > 0) {
          fail.n--;
          const err = new Error(fail.message) as Error & { responseCode: number };
          err.responseCode = fail.code;
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks)).then(
          (m) => {
            messages.push(m);
            callback();
          },
          (e: Error) => callback(e),
        );
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
