export * from "./config.js";
export * from "./crypto.js";
export * from "./db.js";
export * from "./errors.js";
export * from "./logger.js";
export * from "./migrate.js";
export * from "./queue.js";
export * from "./redis.js";
