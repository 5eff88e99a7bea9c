// Messages between the page (main thread) and the compute worker.

export type BackendName = "cpu" | "gpujs";

export interface RunRequest {
  type: "run";
  id: number;
  page: string;
  params: Record<string, number | string | boolean>;
  backend: BackendName;
}

export type WorkerMessage =
  | { type: "progress"; id: number; fraction: number; label: string }
  | {
      type: "result";
      id: number;
      data: unknown;
      ms: number;
      backend: string;
      mode: string;
      precision: number;
      notices: string[];
    }
  | { type: "error"; id: number; message: string };

/** Reports progress in [0, 1] with a short label; compute functions call it as they go. */
export type Progress = (fraction: number, label: string) => void;

/** A page's computation: runs in the worker, returns structured-cloneable data. */
export type Compute = (params: RunRequest["params"], progress: Progress) => unknown | Promise<unknown>;
