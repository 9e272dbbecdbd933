import { randomBytes } from "node:crypto";

export const ID_PREFIXES = {
  tenant: "ten",
  cluster: "cls",
  signingKey: "key",
  apiToken: "tok",
  report: "rpt",
  finding: "fnd",
  findingEvent: "fev",
  suppression: "sup",
  user: "usr",
  session: "ses",
  invitation: "inv",
  signInLink: "lnk",
  notificationRule: "nrl",
  delivery: "dlv",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** A prefixed, URL-safe random id: `rpt_` + 20 base32 chars (100 bits). */
export function newId(kind: IdKind): string {
  const bytes = randomBytes(20);
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${ID_PREFIXES[kind]}_${out}`;
}

export function hasPrefix(kind: IdKind, id: string): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}
