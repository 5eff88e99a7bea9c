// Small shape helpers of the gpu backend (the core's internals are not part of the public API).
import { broadcastShapes, Tensor } from "@x/tensor";
import type { GpuStorage } from "./engine.js";

export const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

export function stridesOf(s: readonly number[]): number[] {
  const out = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    out[i] = acc;
    acc *= s[i]!;
  }
  return out;
}

/** Strides of `s` read at a broadcast shape `out` (0 along broadcast axes). */
export function bstrides(s: readonly number[], out: readonly number[]): number[] {
  const own = stridesOf(s);
  const lead = out.length - s.length;
  return out.map((_, i) => (i < lead || s[i - lead] === 1 ? 0 : own[i - lead]!));
}

export const bshape = (op: string, shapes: (readonly number[])[]): number[] => broadcastShapes(op, ...shapes);

/** Left-pads a shape with 1s to rank r. */
export const padShape = (s: readonly number[], r: number): number[] => [
  ...new Array<number>(r - s.length).fill(1),
  ...s,
];

export const gpuTensor = (backendName: string, shape: readonly number[], storage: GpuStorage): Tensor =>
  new Tensor([...shape], storage, backendName);
