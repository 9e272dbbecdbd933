/**
 * What the API and the worker may say about an error, and how to classify one.
 *
 * Errors from the database layer carry data: drizzle's `Failed query: … params: …` holds every bound parameter
 * (report payloads, manifests, token hashes), and Postgres messages and details quote values
 * (`invalid input syntax for type timestamp: "…"`, `Key (name)=(…) already exists`, `Failing row contains (…)`).
 * `safeError` keeps the class, the SQLSTATE and the message with every quoted value and parameter list cut out,
 * so no log line (or job failure reason) can carry report content, a secret or a token.
 */

export interface SafeError {
  type: string;
  /** SQLSTATE or Node error code */
  code?: string;
  message: string;
  /** stack frames only (the first line of a stack repeats the unsafe message) */
  stack?: string;
}

const MAX_MESSAGE = 300;

function causeChain(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let cur: unknown = e, i = 0; cur && i < 5; i++) {
    out.push(cur);
    cur = typeof cur === "object" && cur !== null && "cause" in cur ? cur.cause : undefined;
  }
  return out;
}

function codeOf(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string"
    ? e.code
    : undefined;
}

/** The SQLSTATE (or Node error code) of an error, whether raw from pg or wrapped (drizzle's `cause`). */
export function errorCode(e: unknown): string | undefined {
  for (const c of causeChain(e)) {
    const code = codeOf(c);
    if (code) return code;
  }
  return undefined;
}

/** A message with quoted values, parameter lists and key details removed, and bounded in length. */
export function scrubMessage(message: string): string {
  let m = message;
  // drizzle: "Failed query: <sql>\nparams: <values>" — keep neither the SQL's literals nor the params
  const failed = /^Failed query:/.test(m);
  if (failed) m = "query failed";
  const params = m.indexOf("params:");
  if (params >= 0) m = m.slice(0, params);
  m = m
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/\((?:[^()]|\([^()]*\))*\)=\((?:[^()]|\([^()]*\))*\)/g, "(…)=(…)")
    .replace(/Failing row contains .*/s, "Failing row contains (…)")
    .replace(/\s+/g, " ")
    .trim();
  return m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE)}…` : m;
}

/** The loggable form of any thrown value. The innermost database error is the informative one. */
export function safeError(e: unknown): SafeError {
  const chain = causeChain(e);
  // drizzle wraps the pg error: report the pg error (code, message) rather than the wrapper's SQL + params
  const inner = chain.find((c) => codeOf(c) !== undefined) ?? chain[0];
  const err = inner instanceof Error ? inner : undefined;
  const type = err?.name ?? typeof inner;
  const message = err ? scrubMessage(err.message) : scrubMessage(String(inner));
  const code = errorCode(e);
  const frames = (chain[0] instanceof Error ? chain[0].stack : undefined)
    ?.split("\n")
    .filter((l) => l.startsWith("    at "))
    .slice(0, 12)
    .join("\n");
  return { type, ...(code ? { code } : {}), message, ...(frames ? { stack: frames } : {}) };
}

const UNAVAILABLE_CODES = new Set([
  // Node / socket
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  // Postgres: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, out of memory/disk
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "53100",
  "53200",
  // read-only transaction during a failover
  "25006",
]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /Client was closed/i,
  /Connection is closed/i,
  /connect ECONNREFUSED/i,
  /Stream isn't writeable/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection/i,
  /Reached the max retries per request/i,
];

/**
 * True when the error says a dependency (Postgres, Redis) is unreachable or restarting, not that the request
 * or the report is wrong: such work is retried, never recorded as a failure of the report.
 */
export function isUnavailableError(e: unknown): boolean {
  for (const c of causeChain(e)) {
    const code = codeOf(c);
    if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
    const message = c instanceof Error ? c.message : undefined;
    if (message && UNAVAILABLE_MESSAGES.some((r) => r.test(message))) return true;
  }
  return false;
}

/** Postgres cancelled the statement: statement_timeout (57014 query_canceled). */
export function isStatementTimeout(e: unknown): boolean {
  return errorCode(e) === "57014";
}

/** A value Postgres cannot represent or parse (class 22: NUL in text, impossible dates, bad syntax). */
export function isDataException(e: unknown): boolean {
  const code = errorCode(e);
  return code?.startsWith("22") === true;
}

/** Serialisation failure or deadlock: safe to run the transaction again. */
export function isRetryableConflict(e: unknown): boolean {
  const code = errorCode(e);
  return code === "40001" || code === "40P01";
}
