import { type FindingDraft, fromTrivySeverity, taxonomyFor } from "@bulwark/schema";
import { expectRec, optNum, optStr, reqStr } from "../util.js";
import type { ResultContext } from "./context.js";

const SECRET_TAXONOMY = taxonomyFor("INT-SECRET");
/** a masked private key match is ~1 KB of `*`: enough of it to recognise the line */
const MAX_MATCH = 200;

/** One `Secrets[]` entry → one draft (INT-SECRET). `Match` is already masked by Trivy. */
export function secretDraft(raw: unknown, at: string, rc: ResultContext): FindingDraft {
  const s = expectRec(raw, at);
  const ruleId = reqStr(s, "RuleID", at);
  const toolSeverity = optStr(s, "Severity", at);
  const match = optStr(s, "Match", at);
  return {
    ruleId,
    title: optStr(s, "Title", at) ?? ruleId,
    severity: fromTrivySeverity(toolSeverity),
    resource: { ...rc.resource },
    taxonomy: { ...SECRET_TAXONOMY, nist: [...SECRET_TAXONOMY.nist] },
    remediation: "Remove the secret from the file (and the image history) and rotate it.",
    references: [],
    details: {
      toolSeverity,
      category: optStr(s, "Category", at),
      match: match && match.length > MAX_MATCH ? `${match.slice(0, MAX_MATCH)}…` : match,
      target: rc.target,
      startLine: optNum(s, "StartLine", at),
      endLine: optNum(s, "EndLine", at),
    },
    // the file and the masked line tell two secrets apart; line numbers move and stay out
    identity: [rc.target, match],
  };
}
