/**
 * The read queries both apps use: the API's routes and the worker's summaries run the same code. Each takes
 * the caller's tenant transaction (`withTenant`) and filters by tenant as well.
 */
export * from "./changes.js";
export * from "./findings/filters.js";
export * from "./findings/select.js";
export * from "./groups.js";
export * from "./posture/current.js";
export * from "./posture/history.js";
export * from "./query.js";
export * from "./sla.js";
export * from "./summary/build.js";
export { silentClusters } from "./summary/parts.js";
