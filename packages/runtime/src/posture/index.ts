export * from "./counters.js";
export * from "./locks.js";
export * from "./points.js";
export * from "./suppression-state.js";
