/**
 * A counting semaphore shared fairly between tenants, for one API process:
 * - a tenant holds at most `perTenant` slots, running or waiting; one more is refused at once (`tenant`),
 *   which the caller answers with 429 and Retry-After: that tenant is over its own limit;
 * - all tenants together hold at most `total` running slots; a request beyond that waits up to `waitMs`
 *   for a free slot, then is refused (`busy`, 503: the server is saturated, not this tenant);
 * - a freed slot goes to the waiting tenant with the fewest running, oldest first, so a tenant with many
 *   queued requests cannot starve one with a single request.
 * With `total` ≥ 2 × `perTenant`, one noisy tenant can never take the slots of the others.
 */
export class LimitRefused extends Error {
  constructor(
    readonly reason: "tenant" | "busy",
    readonly retryAfterS: number,
  ) {
    super(reason === "tenant" ? "tenant over its concurrency limit" : "server busy");
    this.name = "LimitRefused";
  }
}

interface Waiter {
  tenant: string;
  grant: () => void;
  timer: NodeJS.Timeout;
}

export interface LimiterOptions {
  perTenant: number;
  total: number;
  waitMs: number;
}

export class FairLimiter {
  private readonly running = new Map<string, number>();
  private readonly queued = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  private inUse = 0;

  constructor(readonly opts: LimiterOptions) {}

  stats(): { running: number; waiting: number } {
    return { running: this.inUse, waiting: this.waiters.length };
  }

  /** Resolves with a release function once a slot is held; rejects with LimitRefused. */
  acquire(tenant: string): Promise<() => void> {
    const held = (this.running.get(tenant) ?? 0) + (this.queued.get(tenant) ?? 0);
    if (held >= this.opts.perTenant) return Promise.reject(new LimitRefused("tenant", 1));
    if (this.inUse < this.opts.total) return Promise.resolve(this.take(tenant));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        tenant,
        grant: () => resolve(this.take(tenant)),
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          this.bump(this.queued, tenant, -1);
          reject(new LimitRefused("busy", Math.max(1, Math.ceil(this.opts.waitMs / 1000))));
        }, this.opts.waitMs),
      };
      this.waiters.push(w);
      this.bump(this.queued, tenant, 1);
    });
  }

  private bump(map: Map<string, number>, tenant: string, by: number): void {
    const n = (map.get(tenant) ?? 0) + by;
    if (n <= 0) map.delete(tenant);
    else map.set(tenant, n);
  }

  private take(tenant: string): () => void {
    this.inUse++;
    this.bump(this.running, tenant, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      this.bump(this.running, tenant, -1);
      this.next();
    };
  }

  private next(): void {
    if (this.waiters.length === 0 || this.inUse >= this.opts.total) return;
    let best = 0;
    for (let i = 1; i < this.waiters.length; i++) {
      const a = this.running.get((this.waiters[i] as Waiter).tenant) ?? 0;
      const b = this.running.get((this.waiters[best] as Waiter).tenant) ?? 0;
      if (a < b) best = i;
    }
    const [w] = this.waiters.splice(best, 1) as [Waiter];
    clearTimeout(w.timer);
    this.bump(this.queued, w.tenant, -1);
    w.grant();
  }
}
