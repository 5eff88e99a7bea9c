// Shared loops of the cpu kernels: elementwise maps and NumPy broadcasting over Float64Array.
import type { KernelConfig } from "../../backend.js";
import { broadcastShapes, broadcastStrides, type Shape, shapesEqual, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";

export function cpuTensor(values: Float64Array, shape: Shape): Tensor {
  return new Tensor([...shape], values, "cpu");
}

/**
 * The values of a kernel input. runKernel hands cpu kernels concrete tensors already on cpu, whose
 * storage is the Float64Array itself: reading it directly skips the backend lookup of `.data`, which
 * costs as much as the arithmetic on small vectors.
 */
export function cpuData(t: Tensor): Float64Array {
  return t._backend === "cpu" ? (t._storage as Float64Array) : t.data;
}

/**
 * Whether the strided window (begin, size, step) of a row-major `shape` is one contiguous run of memory:
 * leading axes of size ≤ 1, then at most one partial axis with step 1, then full axes. Slices of a
 * vector and row blocks of a matrix are; Slice and SliceAdjoint then copy with one memcpy.
 */
export function isContiguousWindow(shape: Shape, size: Shape, step: Shape): boolean {
  let d = shape.length - 1;
  while (d >= 0 && size[d] === shape[d]) d--;
  if (d >= 0 && size[d]! > 1 && step[d] !== 1) return false;
  for (let e = d - 1; e >= 0; e--) if (size[e]! > 1) return false;
  return true;
}

/** A whole-array loop written out per op (see RowLoop for why). */
export type MapLoop = (x: Float64Array, out: Float64Array) => void;

export function unaryKernel(kernelName: string, f: (x: number) => number, map?: MapLoop): KernelConfig {
  return {
    kernelName,
    backendName: "cpu",
    kernelFunc: ([x]) => {
      const d = cpuData(x!);
      const out = new Float64Array(d.length);
      if (map) map(d, out);
      else for (let i = 0; i < d.length; i++) out[i] = f(d[i]!);
      return cpuTensor(out, x!.shape);
    },
  };
}

/**
 * One output row of a broadcast binary op: out[o + j] = a[ia + j·sa] ∘ b[ib + j·sb]. The hottest ops
 * (add, sub, mul, div) write this loop out in their own file: the shared loop below calls `f` through
 * one call site for every op, which V8 cannot inline (megamorphic), and that call costs more than the
 * arithmetic.
 */
export type RowLoop = (
  out: Float64Array,
  o: number,
  a: Float64Array,
  ia: number,
  sa: number,
  b: Float64Array,
  ib: number,
  sb: number,
  n: number,
) => void;

/**
 * Walks a broadcast output in rows of its last dimension, calling `row(outOffset, inOffsets, n)`
 * with the input offsets of the row start. `strides[k]` are input k's broadcast strides.
 */
export function forEachRow(
  shape: Shape,
  strides: number[][],
  row: (o: number, offs: number[], n: number) => void,
): void {
  const r = shape.length;
  const size = sizeOf(shape);
  if (size === 0) return;
  if (r === 0) {
    row(
      0,
      strides.map(() => 0),
      1,
    );
    return;
  }
  const n = shape[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  const offs = strides.map(() => 0);
  for (let o = 0; o < size; o += n) {
    row(o, offs, n);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < offs.length; k++) offs[k]! += strides[k]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < offs.length; k++) offs[k]! -= strides[k]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function binaryKernel(kernelName: string, f: (a: number, b: number) => number, row?: RowLoop): KernelConfig {
  if (row) return binaryRowKernel(kernelName, row);
  return {
    kernelName,
    backendName: "cpu",
    kernelFunc: ([a, b]) => {
      const ad = a!.data;
      const bd = b!.data;
      if (shapesEqual(a!.shape, b!.shape)) {
        const out = new Float64Array(ad.length);
        for (let i = 0; i < ad.length; i++) out[i] = f(ad[i]!, bd[i]!);
        return cpuTensor(out, a!.shape);
      }
      const shape = broadcastShapes(kernelName, a!.shape, b!.shape);
      const out = new Float64Array(sizeOf(shape));
      if (b!.size === 1) {
        const bv = bd[0]!;
        for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, bv);
        return cpuTensor(out, shape);
      }
      if (a!.size === 1) {
        const av = ad[0]!;
        for (let i = 0; i < out.length; i++) out[i] = f(av, bd[i]!);
        return cpuTensor(out, shape);
      }
      const sa = broadcastStrides(a!.shape, shape);
      const sb = broadcastStrides(b!.shape, shape);
      const la = sa[shape.length - 1] ?? 0;
      const lb = sb[shape.length - 1] ?? 0;
      forEachRow(shape, [sa, sb], (o, [oa, ob], n) => {
        for (let j = 0; j < n; j++) out[o + j] = f(ad[oa! + j * la]!, bd[ob! + j * lb]!);
      });
      return cpuTensor(out, shape);
    },
  };
}

/** An elementwise kernel with one numeric parameter read from attrs (order ν, derivative n…). */
export function unaryParamKernel(kernelName: string, attr: string, f: (p: number, x: number) => number): KernelConfig {
  return {
    kernelName,
    backendName: "cpu",
    kernelFunc: ([x], attrs) => {
      const p = attrs[attr] as number;
      const d = x!.data;
      const out = new Float64Array(d.length);
      for (let i = 0; i < d.length; i++) out[i] = f(p, d[i]!);
      return cpuTensor(out, x!.shape);
    },
  };
}

function binaryRowKernel(kernelName: string, row: RowLoop): KernelConfig {
  return {
    kernelName,
    backendName: "cpu",
    kernelFunc: ([a, b]) => {
      const ad = cpuData(a!);
      const bd = cpuData(b!);
      if (shapesEqual(a!.shape, b!.shape)) {
        const out = new Float64Array(ad.length);
        row(out, 0, ad, 0, 1, bd, 0, 1, ad.length);
        return cpuTensor(out, a!.shape);
      }
      const shape = broadcastShapes(kernelName, a!.shape, b!.shape);
      const out = new Float64Array(sizeOf(shape));
      if (b!.size === 1) row(out, 0, ad, 0, 1, bd, 0, 0, out.length);
      else if (a!.size === 1) row(out, 0, ad, 0, 0, bd, 0, 1, out.length);
      else {
        const sa = broadcastStrides(a!.shape, shape);
        const sb = broadcastStrides(b!.shape, shape);
        const la = sa[shape.length - 1] ?? 0;
        const lb = sb[shape.length - 1] ?? 0;
        forEachRow(shape, [sa, sb], (o, [oa, ob], n) => row(out, o, ad, oa!, la, bd, ob!, lb, n));
      }
      return cpuTensor(out, shape);
    },
  };
}
