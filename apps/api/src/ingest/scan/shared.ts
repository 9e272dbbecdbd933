import { InspectPool } from "./pool.js";

const pools = new Map<number, InspectPool>();

/**
 * One set of ingest threads per process and size: they hold no state, so every app in the process (tests run
 * several) shares them instead of each starting its own.
 */
export function sharedInspectPool(size: number): InspectPool {
  let pool = pools.get(size);
  if (!pool) {
    pool = new InspectPool(size);
    pools.set(size, pool);
  }
  return pool;
}
