export { main } from "./cli.js";
export { type CollectorConfig, loadCollectorConfig } from "./config.js";
export { type KubeReader, kubeReader, loadKubeConfig } from "./kube/client.js";
export { DEFAULT_RETRY, type RetryDeps, type RetryPolicy, sendWithRetry } from "./retry.js";
export { type RunSummary, runCollector } from "./run.js";
export * from "./signing.js";
export * from "./upload.js";
