import { tables } from "@bulwark/schema";

const { suppressions } = tables;

export type SuppressionRow = typeof suppressions.$inferSelect;

export interface SuppressionSelector {
  ruleId?: string;
  /** cluster id (the API accepts a name and resolves it) */
  cluster?: string;
  namespace?: string;
  kind?: string;
  name?: string;
  fingerprint?: string;
}
