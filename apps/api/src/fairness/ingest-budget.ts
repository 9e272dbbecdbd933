import { ApiError } from "../errors.js";

/**
 * Admission of uploads into one API process, so that a few large or many small uploads cannot exhaust its
 * memory or starve other tenants. Memory per upload in flight is its wire body (≤ 32 MiB), a copy handed to an
 * ingest thread, and that thread's streaming buffers; the budget counts it as 2 × wire bytes + 4 MiB.
 * - one tenant's uploads in flight beyond `perTenant` → 429 + Retry-After (that tenant is sending too much
 *   at once; the collector waits and retries);
 * - uploads in flight beyond `total`, or bytes beyond `bytes` → 503 + Retry-After (the server is busy; nothing
 *   was stored; the collector waits and retries). A body larger than the whole budget could never fit and
 *   is not a busy server: the wire limit (413) is always below it.
 */
export const PER_UPLOAD_OVERHEAD = 4 * 1024 * 1024;
const RETRY_AFTER_S = 2;

export interface IngestBudgetOptions {
  perTenant: number;
  total: number;
  bytes: number;
}

export class IngestTicket {
  private reserved = 0;
  private released = false;

  constructor(
    private readonly budget: IngestBudget,
    private readonly tenant: string,
  ) {}

  /** Count `n` more bytes of memory for this upload; throws 503 when the process has none left. */
  reserve(n: number): void {
    this.budget.take(n);
    this.reserved += n;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.tenant, this.reserved);
  }
}

export class IngestBudget {
  private bytesInUse = 0;
  private uploads = 0;
  private readonly byTenant = new Map<string, number>();

  constructor(readonly opts: IngestBudgetOptions) {}

  load(): { uploads: number; bytes: number } {
    return { uploads: this.uploads, bytes: this.bytesInUse };
  }

  /** Admit one upload of a tenant (declared size when known); the ticket must be released at the end. */
  admit(tenant: string, declaredBytes?: number): IngestTicket {
    const mine = this.byTenant.get(tenant) ?? 0;
    if (mine >= this.opts.perTenant) {
      throw new ApiError(
        "rate_limited",
        `this tenant already has ${mine} uploads in flight (limit ${this.opts.perTenant}); retry after them`,
        { retryAfter: RETRY_AFTER_S },
      );
    }
    if (this.uploads >= this.opts.total) throw busy("too many uploads in flight");
    this.uploads++;
    this.byTenant.set(tenant, mine + 1);
    const ticket = new IngestTicket(this, tenant);
    try {
      ticket.reserve(PER_UPLOAD_OVERHEAD + 2 * (declaredBytes ?? 0));
    } catch (e) {
      ticket.release();
      throw e;
    }
    return ticket;
  }

  take(n: number): void {
    if (this.bytesInUse + n > this.opts.bytes) throw busy("upload memory budget in use");
    this.bytesInUse += n;
  }

  give(tenant: string, n: number): void {
    this.bytesInUse -= n;
    this.uploads--;
    const mine = (this.byTenant.get(tenant) ?? 1) - 1;
    if (mine <= 0) this.byTenant.delete(tenant);
    else this.byTenant.set(tenant, mine);
  }
}

function busy(why: string): ApiError {
  return new ApiError("unavailable", `the server is busy (${why}); nothing was stored, retry shortly`, {
    retryAfter: RETRY_AFTER_S,
  });
}
