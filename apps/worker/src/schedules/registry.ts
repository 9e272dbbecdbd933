import { type Logger, type RedisClient, safeError } from "@bulwark/runtime";
import { Queue } from "bullmq";

/** One repeating job the system relies on: upserted under a stable id (one schedule whatever the replicas). */
export interface ScheduleSpec {
  queue: string;
  /** stable BullMQ job scheduler id */
  schedulerId: string;
  /** either a period in ms or a cron pattern (with an optional IANA timezone) */
  every?: number;
  pattern?: string;
  tz?: string;
  job: { name: string; data: Record<string, unknown> };
}

/** How often each registered schedule is checked for and re-created when Redis has lost it. */
export const SCHEDULE_CHECK_MS = 10_000;

/**
 * The schedules this worker keeps in existence. BullMQ keeps job schedulers in Redis only, so a Redis that
 * restarts empty (no persistence, a failover to an empty replica, a flush) loses every one of them and nothing
 * would run again until a worker restarted. Each registered schedule is upserted at start, again whenever the
 * connection becomes ready after an outage, and every SCHEDULE_CHECK_MS when missing. Only a missing scheduler
 * is upserted: re-upserting an existing `every` schedule would push its next run back each time.
 *
 * Features add theirs with `register` before `start` (maintenance sweep, notification summaries, …). What is
 * registered is this build's list of wanted schedules, not a copy of Redis state: the scheduler itself stays
 * in Redis and several workers upserting the same id still make one schedule.
 */
export class ScheduleRegistry {
  private readonly specs = new Map<string, ScheduleSpec>();
  private readonly queues = new Map<string, Queue>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private onReady: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  register(spec: ScheduleSpec): this {
    this.specs.set(`${spec.queue}/${spec.schedulerId}`, spec);
    return this;
  }

  list(): ScheduleSpec[] {
    return [...this.specs.values()];
  }

  /** Begin keeping the schedules; never waits for Redis (a worker may start while Redis is down). */
  start(checkMs = SCHEDULE_CHECK_MS): void {
    this.onReady = () => void this.ensure();
    this.connection.on("ready", this.onReady);
    this.timer = setInterval(() => void this.ensure(), checkMs);
    this.timer.unref();
    void this.ensure();
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      q.on("error", () => {}); // Redis outages surface through ensure() and readiness
      this.queues.set(name, q);
    }
    return q;
  }

  /** Upsert every registered schedule that Redis does not hold; returns the ids (re)created. */
  ensure(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // one pass at a time: a 'ready' event during a periodic check must not upsert twice
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    for (const spec of this.specs.values()) {
      if (this.closed) return;
      try {
        const q = this.queue(spec.queue);
        if (await q.getJobScheduler(spec.schedulerId)) continue;
        await q.upsertJobScheduler(
          spec.schedulerId,
          {
            ...(spec.every !== undefined ? { every: spec.every } : {}),
            ...(spec.pattern !== undefined ? { pattern: spec.pattern } : {}),
            ...(spec.tz !== undefined ? { tz: spec.tz } : {}),
          },
          { name: spec.job.name, data: spec.job.data },
        );
        this.log.info({ queue: spec.queue, schedulerId: spec.schedulerId }, "job schedule established");
      } catch (e) {
        this.log.warn(
          { queue: spec.queue, schedulerId: spec.schedulerId, err: safeError(e) },
          "could not check or establish a job schedule; retrying",
        );
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.onReady) this.connection.off("ready", this.onReady);
    await this.running?.catch(() => {});
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => {})));
  }
}
