export * from "./envelope.js";
export * from "./errors.js";
export * from "./finding.js";
export * from "./ids.js";
export * from "./jobs.js";
export * from "./severity.js";
export * from "./sources.js";
export * from "./taxonomy.js";
export * as tables from "./tables/index.js";
