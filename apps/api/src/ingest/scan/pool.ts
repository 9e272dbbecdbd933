import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { InspectInput, InspectResult } from "./inspect.js";

/** tsx's ESM API (register()), found beside its package.json */
function tsxApi(): string {
  const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
  return pathToFileURL(join(dirname(pkg), "dist/esm/api/index.mjs")).href;
}

interface Task {
  id: number;
  input: InspectInput;
  resolve: (r: InspectResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/**
 * A fixed set of ingest threads. Each inspects one body at a time; uploads beyond that wait in FIFO order
 * (their number and bytes are bounded by the admission budget before they get here). A thread that dies
 * fails its task (500) and is replaced. Threads start on first use and never keep the process alive.
 */
export class InspectPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size: number) {}

  /**
   * Start every thread now, each inspecting a small generated report once (scan/warm.ts) so that the first real
   * upload finds its code loaded and compiled. The server calls it at start; tests leave threads lazy.
   */
  start(): void {
    while (!this.closed && this.slots.length < this.size) this.spawn(true);
  }

  private spawn(warm = false): Slot {
    // under tsx (development, tests) the thread is TypeScript too: it registers tsx's loader, then loads it
    const ts = import.meta.url.endsWith(".ts");
    const url = new URL(ts ? "./thread.ts" : "./thread.js", import.meta.url);
    const worker = ts
      ? new Worker(
          `import(${JSON.stringify(tsxApi())})` +
            `.then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true, workerData: { warm } },
        )
      : new Worker(url, { workerData: { warm } });
    worker.unref();
    const slot: Slot = { worker, task: null };
    worker.on("message", (msg: { id: number; result?: InspectResult; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== msg.id) return;
      slot.task = null;
      if (msg.result) task.resolve(msg.result);
      else task.reject(new Error(`ingest thread: ${msg.error ?? "no result"}`));
      this.pump();
    });
    const lost = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.task?.reject(new Error(`ingest thread ${why}`));
      slot.task = null;
      this.pump();
    };
    worker.on("error", (e) => lost(`failed: ${e.message}`));
    worker.on("exit", (code) => lost(`exited (${code})`));
    this.slots.push(slot);
    return slot;
  }

  private pump(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift() as Task;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, input: task.input });
    }
  }

  run(input: InspectInput): Promise<InspectResult> {
    if (this.closed) return Promise.reject(new Error("ingest threads are closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.pump();
    });
  }

  /** Uploads being inspected or waiting for a thread. */
  load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.task).length, waiting: this.queue.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error("ingest threads are closed"));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate().catch(() => 0)));
  }
}
