// The gpu.js engine behind backend "gpujs": mode selection, float32 storage (typed arrays, or
// textures kept on the device in WebGL modes), and a cache of compiled kernels, one per shape class.
// This file imports the core only through the package name "@x/tensor" (toolchain trap 5: the
// gpu entry must share the core's single Tensor class and registry).
import type { Backend } from "@x/tensor";
import { GPU } from "gpu.js";

/** gpu.js modes this backend can run in (float32 everywhere). */
export type GpuJsMode = "webgl2" | "webgl" | "headlessgl" | "webasm" | "cpu";

export interface GpuJsBackendOptions {
  /** Force a gpu.js mode; default: WebGL2 → WebGL in browsers, headless-gl → WebAssembly → cpu in Node. */
  mode?: GpuJsMode;
}

/** Float32 storage: a typed array, or a texture that stays on the GPU until read (WebGL modes). */
export interface GpuStorage {
  arr?: Float32Array;
  tex?: { toArray(): unknown; delete?(): void };
  /** Number of values (of `tex`; `arr.length` otherwise). */
  n?: number;
  /** float64 copy made on first read (tensors are immutable, so it stays valid). */
  f64?: Float64Array;
}

// gpu.js kernels are untyped at this boundary.
type Kernel = any;

const isBrowser = (): boolean =>
  typeof (globalThis as { document?: unknown }).document !== "undefined" &&
  typeof (globalThis as { window?: unknown }).window !== "undefined";

/** The mode the automatic selection picks on this platform. */
export function detectMode(): GpuJsMode {
  const G = GPU as unknown as Record<string, boolean>;
  if (isBrowser()) {
    if (G.isWebGL2Supported) return "webgl2";
    if (G.isWebGLSupported) return "webgl";
  } else if (G.isHeadlessGLSupported) {
    return "headlessgl";
  }
  if (G.isWebAssemblySupported) return "webasm";
  return "cpu";
}

type DeviceTexture = NonNullable<GpuStorage["tex"]>;
let freed = 0;

// Textures of tensors that were garbage-collected are deleted (gpu.js frees nothing on its own).
const textures =
  typeof FinalizationRegistry === "undefined"
    ? undefined
    : new FinalizationRegistry<DeviceTexture>((t) => {
        freed++;
        try {
          t.delete?.();
        } catch {
          // the GL context may already be gone
        }
      });

const GL_MODES: ReadonlySet<GpuJsMode> = new Set(["webgl2", "webgl", "headlessgl"]);

export class GpuJsBackend implements Backend {
  readonly floatPrecision = 32 as const;
  readonly mode: GpuJsMode;
  readonly gpu: GPU;
  /** True when kernel outputs stay on the device as textures (pipeline mode). */
  readonly resident: boolean;
  private readonly cache = new Map<string, Kernel>();
  /** Number of kernels compiled (one per shape class and op). */
  compiled = 0;

  constructor(
    readonly name: string,
    opts: GpuJsBackendOptions = {},
  ) {
    this.mode = opts.mode ?? detectMode();
    this.gpu = new GPU({ mode: this.mode } as ConstructorParameters<typeof GPU>[0]);
    this.resident = GL_MODES.has(this.mode);
  }

  describe(): string {
    const where = this.resident ? `tensors resident as textures, ${freed} freed` : "tensors as Float32Array";
    return `gpujs (float32, gpu.js mode "${this.mode}", ${where}, ${this.compiled} kernels compiled)`;
  }

  read(storage: unknown, size: number): Float64Array {
    const s = storage as GpuStorage;
    if (!s.f64) {
      if (s.arr) s.f64 = Float64Array.from(s.arr);
      else if (s.tex) s.f64 = flatten(s.tex.toArray(), size);
      else s.f64 = new Float64Array(size);
    }
    return s.f64;
  }

  write(values: Float64Array): GpuStorage {
    // Values are rounded to float32 here; reading back returns the rounded values (no silent float64).
    return { arr: Float32Array.from(values) };
  }

  /**
   * Compiles (once) and caches the kernel of a shape class. In WebGL modes gpu.js sizes textures
   * when it compiles (its dynamic output/arguments do not resize pipeline textures reliably), so
   * there a class is an exact set of sizes; in webasm/cpu modes one kernel serves every size.
   */
  kernel(key: string, source: () => string, size: number): Kernel {
    let k = this.cache.get(key);
    if (!k) {
      k = this.gpu.createKernel(source(), {
        output: [size],
        dynamicOutput: !this.resident,
        dynamicArguments: !this.resident,
        pipeline: this.resident,
        immutable: true,
        precision: "single",
        loopMaxIterations: 1 << 20,
        tactic: "precision",
      } as Parameters<GPU["createKernel"]>[1]);
      this.cache.set(key, k);
      this.compiled++;
    }
    return k;
  }

  /**
   * The value a kernel takes for a storage. In WebGL modes an uploaded array becomes a texture on
   * first use (one copy kernel), so later ops read it on the device instead of re-uploading it.
   */
  private device(s: GpuStorage): unknown {
    if (s.tex || !this.resident || !s.arr || s.arr.length === 0) return s.tex ?? s.arr;
    const n = s.arr.length;
    const k = this.kernel(`upload|${n}`, () => "function (a) {\nreturn a[this.thread.x];\n}", n);
    s.tex = k(s.arr) as DeviceTexture;
    s.n = n;
    textures?.register(s, s.tex);
    return s.tex;
  }

  /** Runs a cached kernel over `size` output cells; `args` are storages or numbers. */
  run(key: string, source: () => string, size: number, args: (GpuStorage | number)[]): GpuStorage {
    if (size === 0) return { arr: new Float32Array(0) };
    const sizes = this.resident
      ? `|${size}|${args.map((a) => (typeof a === "number" ? "" : (a.n ?? a.arr?.length))).join(",")}`
      : "";
    const k = this.kernel(key + sizes, source, size);
    if (!this.resident) k.setOutput([size]);
    const out = k(...args.map((a) => (typeof a === "number" ? a : this.device(a))));
    if (out instanceof Float32Array) return { arr: out };
    if (out && typeof out === "object" && "toArray" in out) {
      const st: GpuStorage = { tex: out as DeviceTexture, n: size };
      textures?.register(st, st.tex as DeviceTexture);
      return st;
    }
    return { arr: Float32Array.from(out as ArrayLike<number>) };
  }
}

function flatten(v: unknown, size: number): Float64Array {
  const out = new Float64Array(size);
  let k = 0;
  const walk = (x: unknown): void => {
    if (k >= size) return;
    if (typeof x === "number") out[k++] = x;
    else {
      const a = x as ArrayLike<unknown>;
      for (let i = 0; i < a.length; i++) walk(a[i]);
    }
  };
  walk(v);
  return out;
}
