/**
 * Notification rules and their deliveries, shared by the API (rules, preview, send now) and the worker
 * (ticks, instant alerts, sending): schedules, channels and their secrets, the destination guard, the outbox,
 * the three renderings and webhook signing.
 */
export * from "./channel.js";
export * from "./http.js";
export * from "./outbox.js";
export * from "./render/index.js";
export * from "./schedule.js";
export * from "./signing.js";
export * from "./ssrf.js";
