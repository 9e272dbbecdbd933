import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The request id of the request being served, wherever the code is: set once by the request-context
 * middleware, read where a row records which request made it (a report's `request_id`, which the worker's log
 * lines then carry), without threading it through every verb's signature.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export function runInRequestScope<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
  return scope.run({ requestId }, fn);
}

export function currentRequestId(): string | null {
  return scope.getStore()?.requestId ?? null;
}
