// Reduction over a set of axes: one pass over the input with an odometer that maps each input
// element to its output slot (reduced axes have output stride 0).
import type { KernelConfig } from "../../backend.js";
import { sizeOf, stridesOf } from "../../shape.js";
import { cpuTensor, forEachRow } from "./util.js";

/**
 * The geometry of a reduction of `shape` over `axes`: the output shape, the output stride of every input axis
 * (0 on reduced axes, so an odometer over the input lands on its output slot) and the shape returned (keepDims
 * keeps reduced axes as 1).
 */
export function reductionLayout(
  shape: readonly number[],
  axes: readonly number[],
  keepDims: boolean,
): { outShape: number[]; ost: number[]; finalShape: number[] } {
  const reduced = new Set(axes);
  const outShape = shape.filter((_, i) => !reduced.has(i));
  const outStridesKept = stridesOf(outShape);
  const ost: number[] = [];
  let k = 0;
  for (let i = 0; i < shape.length; i++) ost.push(reduced.has(i) ? 0 : outStridesKept[k++]!);
  const finalShape = keepDims ? shape.map((s, i) => (reduced.has(i) ? 1 : s)) : outShape;
  return { outShape, ost, finalShape };
}

export function reduceKernel(
  kernelName: string,
  init: number,
  combine: (acc: number, v: number) => number,
): KernelConfig {
  // Sum is on every broadcasting VJP's path: add inline rather than through the shared (megamorphic) callback.
  const isSum = kernelName === "Sum";
  return {
    kernelName,
    backendName: "cpu",
    kernelFunc: ([x], attrs) => {
      const shape = x!.shape;
      const { outShape, ost, finalShape } = reductionLayout(shape, attrs.axes as number[], attrs.keepDims as boolean);
      const out = new Float64Array(sizeOf(outShape)).fill(init);
      const d = x!.data;
      const lastStride = ost[shape.length - 1] ?? 0;
      forEachRow(shape, [ost], (o, [oo], n) => {
        if (lastStride === 0) {
          let acc = out[oo!]!;
          if (isSum) for (let j = 0; j < n; j++) acc += d[o + j]!;
          else for (let j = 0; j < n; j++) acc = combine(acc, d[o + j]!);
          out[oo!] = acc;
        } else {
          if (isSum) for (let j = 0; j < n; j++) out[oo! + j]! += d[o + j]!;
          else for (let j = 0; j < n; j++) out[oo! + j] = combine(out[oo! + j]!, d[o + j]!);
        }
      });
      return cpuTensor(out, finalShape);
    },
  };
}
