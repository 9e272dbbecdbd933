import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** resolves with the next message (or one already received and not yet taken) */
  next(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on a free loopback port, parsing each message with mailparser. Recipients
 * at `reject.example` are refused at RCPT TO, as a real server refuses an unknown mailbox.
 */
export async function startSmtp(opts: { user?: string; pass?: string } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    disabledCommands: opts.user ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !opts.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username });
      else cb(new Error("invalid credentials"));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith("@reject.example")) cb(new Error("550 no such mailbox"));
      else cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then(
        (parsed) => {
          received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            parsed,
          });
          for (const w of waiters.splice(0)) w();
          cb();
        },
        (e: Error) => cb(e),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const auth = opts.user ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.pass ?? "")}@` : "";
  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    received,
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length <= taken) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no e-mail arrived");
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      const mail = received[taken++];
      if (!mail) throw new Error("unreachable");
      return mail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

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

/**
 * A real SMTP server (smtp-server) on a free port, parsing what it accepts with mailparser, that can also hold
 * or fail the next messages (the delivery tests' faults).
 */
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
