// computeBounds: the public entry point for IBP / CROWN / α-CROWN output bounds over an input box.
import { asTensor, ShapeError, type Tensor, type TensorLike, tensor, ValueError } from "@x/tensor";
import { alphaCrownLower } from "./alpha-crown.js";
import { backwardLower, crownIntermediate } from "./crown.js";
import { denseInterval, ibp } from "./ibp.js";
import type { Network } from "./network.js";

export type BoundMethod = "ibp" | "crown" | "alpha-crown";

export interface BoundsOptions {
  method?: BoundMethod;
  /** specification matrix (rows × outputSize): bound C·y instead of y */
  C?: TensorLike;
  /** α-CROWN gradient steps (default 20) */
  iterations?: number;
  /** α-CROWN step size (default 0.1) */
  lr?: number;
}

export interface BoundsResult {
  lower: Tensor;
  upper: Tensor;
  method: BoundMethod;
}

export interface Box {
  lower: TensorLike;
  upper: TensorLike;
}

export function toBox(net: Network, box: Box, argName = "box"): { lower: Float64Array; upper: Float64Array } {
  const lower = Float64Array.from(asTensor(box.lower, `${argName}.lower`).data);
  const upper = Float64Array.from(asTensor(box.upper, `${argName}.upper`).data);
  if (lower.length !== net.inputSize || upper.length !== net.inputSize) {
    throw new ShapeError(
      `${argName}: lower/upper have ${lower.length}/${upper.length} values, the network has ${net.inputSize} inputs`,
    );
  }
  for (let i = 0; i < lower.length; i++) {
    if (!Number.isFinite(lower[i]!) || !Number.isFinite(upper[i]!))
      throw new ValueError(`${argName}: bounds must be finite (index ${i})`);
    if (lower[i]! > upper[i]!)
      throw new ValueError(`${argName}: lower[${i}] = ${lower[i]} exceeds upper[${i}] = ${upper[i]}`);
  }
  return { lower, upper };
}

function specMatrix(net: Network, C?: TensorLike): { C: Float64Array; rows: number } {
  if (C === undefined) {
    const n = net.outputSize;
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    return { C: I, rows: n };
  }
  const t = asTensor(C, "C");
  const rows = t.shape.length === 2 ? t.shape[0]! : t.shape.length === 1 ? 1 : -1;
  if (rows < 0 || t.size !== rows * net.outputSize) {
    throw new ShapeError(`computeBounds: C must have shape [rows, ${net.outputSize}], got [${t.shape.join(", ")}]`);
  }
  return { C: Float64Array.from(t.data), rows };
}

/** Sound lower/upper bounds of C·f(x) (default C = I) for all x in the box. */
export function computeBounds(net: Network, box: Box, opts: BoundsOptions = {}): BoundsResult {
  const method = opts.method ?? "crown";
  if (method !== "ibp" && method !== "crown" && method !== "alpha-crown") {
    throw new ValueError(`computeBounds: method must be 'ibp', 'crown' or 'alpha-crown', got '${method}'`);
  }
  const b = toBox(net, box);
  const { C, rows } = specMatrix(net, opts.C);
  let lower: Float64Array;
  let upper: Float64Array;
  if (method === "ibp") {
    const out = ibp(net, b.lower, b.upper).output;
    const iv = denseInterval(C, new Float64Array(rows), net.outputSize, rows, out.lower, out.upper);
    lower = iv.lower;
    upper = iv.upper;
  } else {
    const ctx = crownIntermediate(net, b);
    const k = net.dense.length - 1;
    const both = new Float64Array(2 * rows * net.outputSize);
    both.set(C);
    for (let i = 0; i < rows * net.outputSize; i++) both[rows * net.outputSize + i] = -C[i]!;
    const res =
      method === "crown"
        ? backwardLower(ctx, k, both, 2 * rows)
        : alphaCrownLower(ctx, k, both, 2 * rows, { iterations: opts.iterations, lr: opts.lr });
    lower = res.lower.slice(0, rows);
    upper = res.lower.slice(rows).map((v) => -v);
  }
  return { lower: tensor(lower), upper: tensor(upper), method };
}
