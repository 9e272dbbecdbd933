export * from "./signing.js";
export * from "./upload.js";
