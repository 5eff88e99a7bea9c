// Backend and kernel registry, modelled on tfjs-core (kernel_registry.ts, global_util.ts).
// It lives on globalThis because tsup's CJS output duplicates modules per entry point
// (toolchain trap 5): two copies of a module-local Map would be two registries.
import { UnsupportedError, ValueError } from "./errors.js";
import type { Tensor } from "./tensor.js";

/** Opaque per-backend storage of a tensor's values (a Float64Array on cpu). */
export type Storage = unknown;

export interface Backend {
  readonly name: string;
  /** Bits of precision of the backend's floats: 64 for cpu, 32 for gpu.js. */
  readonly floatPrecision: 32 | 64;
  /** Copies a tensor's values out as float64 (may download from a device). */
  read(storage: Storage, size: number): Float64Array;
  /** Uploads float64 values; the backend may keep or convert them. */
  write(values: Float64Array): Storage;
  /** Optional: a human-readable description (e.g. which gpu.js mode is active). */
  describe?(): string;
}

export type KernelFunc = (inputs: Tensor[], attrs: Record<string, unknown>) => Tensor;

export interface KernelConfig {
  kernelName: string;
  backendName: string;
  kernelFunc: KernelFunc;
}

interface BackendEntry {
  factory: () => Backend;
  priority: number;
  instance?: Backend;
}

interface Registry {
  backends: Map<string, BackendEntry>;
  kernels: Map<string, KernelFunc>;
  active?: string;
  fallbackNoticed: Set<string>;
  onFallback: (msg: string) => void;
}

const KEY = Symbol.for("@x/tensor.registry.v1");

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[KEY];
  if (!r) {
    r = {
      backends: new Map(),
      kernels: new Map(),
      fallbackNoticed: new Set(),
      onFallback: (msg) => console.warn(msg),
    };
    g[KEY] = r;
  }
  return r;
}

export function registerBackend(name: string, factory: () => Backend, priority = 1): void {
  registry().backends.set(name, { factory, priority });
}

export function listBackends(): string[] {
  return [...registry().backends.keys()];
}

function instance(name: string): Backend {
  const entry = registry().backends.get(name);
  if (!entry) throw new ValueError(`backend "${name}" is not registered (registered: ${listBackends().join(", ")})`);
  entry.instance ??= entry.factory();
  return entry.instance;
}

/** Makes `name` the backend for new tensors and kernel calls. */
export function setBackend(name: string): Backend {
  const b = instance(name);
  registry().active = name;
  return b;
}

/** The active backend: the one set, else the registered one with the highest priority. */
export function getBackend(name?: string): Backend {
  if (name !== undefined) return instance(name);
  const r = registry();
  if (r.active === undefined) {
    let best: [string, number] | undefined;
    for (const [n, e] of r.backends) if (!best || e.priority > best[1]) best = [n, e.priority];
    if (!best) throw new UnsupportedError("no backend registered; import @x/tensor to register the cpu backend");
    r.active = best[0];
  }
  return instance(r.active);
}

export function floatPrecision(): 32 | 64 {
  return getBackend().floatPrecision;
}

export function registerKernel(config: KernelConfig): void {
  registry().kernels.set(`${config.backendName}/${config.kernelName}`, config.kernelFunc);
}

export function getKernel(kernelName: string, backendName: string): KernelFunc | undefined {
  return registry().kernels.get(`${backendName}/${kernelName}`);
}

export function listKernels(backendName: string): string[] {
  const prefix = `${backendName}/`;
  return [...registry().kernels.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

/** Where fallback notices go (default console.warn); tests and apps may redirect them. */
export function setFallbackNotice(fn: (msg: string) => void): void {
  registry().onFallback = fn;
}

/** Called by a backend that lacks a kernel: reports the fallback once per kernel name. */
export function noticeFallback(backendName: string, kernelName: string): void {
  const r = registry();
  const key = `${backendName}/${kernelName}`;
  if (r.fallbackNoticed.has(key)) return;
  r.fallbackNoticed.add(key);
  r.onFallback(`@x/tensor: backend "${backendName}" has no kernel "${kernelName}"; running it on cpu`);
}
