// Runs page computations in the module worker. One run at a time: starting a new run or pressing
// cancel terminates the worker (the only way to stop synchronous numerical code) and starts a fresh one.
import type { BackendName, RunRequest, WorkerMessage } from "./protocol.js";

export type RunResult = Extract<WorkerMessage, { type: "result" }>;

export class CancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CancelledError";
  }
}

interface Pending {
  id: number;
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
  onProgress: (fraction: number, label: string) => void;
}

export class Runner {
  private worker: Worker;
  private pending: Pending | undefined;
  private nextId = 1;

  constructor() {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<WorkerMessage>) => this.receive(e.data);
    w.onerror = (e) => {
      const p = this.pending;
      this.pending = undefined;
      p?.reject(new Error(`worker error: ${e.message}`));
    };
    return w;
  }

  private receive(m: WorkerMessage): void {
    const p = this.pending;
    if (!p || m.id !== p.id) return;
    if (m.type === "progress") {
      p.onProgress(m.fraction, m.label);
      return;
    }
    this.pending = undefined;
    if (m.type === "result") p.resolve(m);
    else p.reject(new Error(m.message));
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  run(
    page: string,
    params: RunRequest["params"],
    backend: BackendName,
    onProgress: Pending["onProgress"],
  ): Promise<RunResult> {
    if (this.pending) this.cancel();
    const id = this.nextId++;
    return new Promise<RunResult>((resolve, reject) => {
      this.pending = { id, resolve, reject, onProgress };
      this.worker.postMessage({ type: "run", id, page, params, backend } satisfies RunRequest);
    });
  }

  /** Stops the current run: terminates the worker and starts a fresh one. */
  cancel(): void {
    this.worker.terminate();
    this.worker = this.spawn();
    const p = this.pending;
    this.pending = undefined;
    p?.reject(new CancelledError());
  }
}
