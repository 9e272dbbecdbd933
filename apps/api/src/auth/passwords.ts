import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import type { FieldError } from "../errors.js";

/**
 * argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane): about 75 ms on this project's 2-core machine,
 * run on libuv's thread pool so the event loop keeps serving.
 */
// algorithm 2 is Argon2id (the package's Algorithm is a const enum, unusable under isolatedModules)
const PARAMS = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 12;
/** long enough for any passphrase, short enough that hashing cannot be made expensive by the input */
export const PASSWORD_MAX = 256;

// ~49,000 passwords seen most often in breaches (zxcvbn's list, shipped in the package: no network)
const COMMON = new Set((dictionary["passwords-common"] as unknown as string[]).map((p) => p.toLowerCase()));

/**
 * NIST SP 800-63B: a length floor, no composition rules, and no password known from breaches. Also refuses
 * the account's own e-mail or its local part.
 */
export function passwordProblems(password: string, email: string, location = "body.password"): FieldError[] {
  const problems: string[] = [];
  const chars = [...password].length;
  if (chars < PASSWORD_MIN) problems.push(`must be at least ${PASSWORD_MIN} characters`);
  if (chars > PASSWORD_MAX) problems.push(`must be at most ${PASSWORD_MAX} characters`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push("appears in lists of breached passwords; choose another");
  const mail = email.toLowerCase();
  if (lower === mail || lower === mail.split("@")[0]) problems.push("must not be your e-mail address");
  return problems.map((message) => ({ location, message }));
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

let dummy: Promise<string> | undefined;

/**
 * Verify against the stored hash, or against a throwaway one when the account has none (unknown e-mail, SSO
 * only), so the answer takes as long either way and does not tell which e-mails have accounts.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX * 4) return false;
  if (!stored) {
    dummy ??= hashPassword(randomBytes(16).toString("hex"));
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
