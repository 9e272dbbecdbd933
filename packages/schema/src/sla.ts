import type { SlaDays } from "./tables/sla-policies.js";

/**
 * Days to fix per severity when a tenant has set no policy: CISA BOD 19-02's 15 days for critical and 30 for
 * high, and the common 90 / 180 for medium and low (FedRAMP's moderate and low). Info findings have no SLA.
 */
export const DEFAULT_SLA_DAYS: SlaDays = { critical: 15, high: 30, medium: 90, low: 180 };

export const SLA_SEVERITIES = ["critical", "high", "medium", "low"] as const;
