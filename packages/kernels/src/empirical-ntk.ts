// Finite-width networks in the NTK parametrisation of ntk.ts and their empirical NTK Θ̂(x, x') = ⟨∂f(x)/∂θ, ∂f(x')/∂θ⟩
// (Jacot et al. 2018), from one reverse pass (vjp) and one pullback per output: Θ̂ = J Jᵀ.
import {
  add,
  concat,
  erf,
  type Key,
  matmul,
  mul,
  normal,
  relu,
  reshape,
  rng,
  split,
  type Tensor,
  type TensorLike,
  tensor,
  transpose,
  treeLeaves,
  ValueError,
  vjp,
} from "@x/tensor";
import { asInputs } from "./kernel.js";
import type { Activation } from "./ntk.js";

export interface MlpOptions {
  /** Input dimension d. */
  inputDim: number;
  /** Width of each hidden layer. */
  width: number;
  /** Number of hidden layers. */
  depth: number;
  activation?: Activation;
  weightVariance?: number;
  biasVariance?: number;
  seed?: number;
}

/** Parameters (all N(0, 1)) [W¹, b¹, …, Wᴸ⁺¹, bᴸ⁺¹] and the forward map in the NTK parametrisation. */
export interface Mlp {
  params: Tensor[];
  apply(params: Tensor[], x: Tensor): Tensor;
}

export function mlp(opts: MlpOptions): Mlp {
  const {
    inputDim: d,
    width,
    depth,
    activation = "relu",
    weightVariance: sw = 1,
    biasVariance: sb = 0,
    seed = 0,
  } = opts;
  for (const [name, v] of [
    ["inputDim", d],
    ["width", width],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new ValueError(`mlp: ${name} must be an integer ≥ 1, got ${v}`);
  }
  if (!(Number.isInteger(depth) && depth >= 0)) throw new ValueError(`mlp: depth must be an integer ≥ 0, got ${depth}`);
  const dims = [d, ...Array<number>(depth).fill(width), 1];
  const keys: Key[] = split(rng(seed), 2 * (depth + 1));
  const params: Tensor[] = [];
  for (let l = 0; l <= depth; l++) {
    params.push(normal(keys[2 * l]!, [dims[l]!, dims[l + 1]!]), normal(keys[2 * l + 1]!, [dims[l + 1]!]));
  }
  const phi = activation === "relu" ? relu : erf;
  const sqw = Math.sqrt(sw);
  const sqb = Math.sqrt(sb);
  return {
    params,
    apply(ps: Tensor[], x: Tensor): Tensor {
      let h: Tensor = x;
      for (let l = 0; l <= depth; l++) {
        const inp = l === 0 ? h : phi(h);
        h = add(mul(sqw / Math.sqrt(dims[l]!), matmul(inp, ps[2 * l]!)), mul(sqb, ps[2 * l + 1]!));
      }
      return reshape(h, [x.shape[0]!]);
    },
  };
}

/** Empirical NTK Θ̂(x, y) [n, m] of a scalar-output network at its parameters. */
export function empiricalNtk(net: Mlp, x: TensorLike, y?: TensorLike): Tensor {
  const X = asInputs(x, "x");
  const Y = y === undefined ? X : asInputs(y, "y");
  const jac = (A: Tensor) => {
    const [out, pullback] = vjp((ps: Tensor[]) => net.apply(ps, A), net.params);
    const n = (out as Tensor).shape[0]!;
    const rows: Tensor[] = [];
    for (let i = 0; i < n; i++) {
      const e = new Float64Array(n);
      e[i] = 1;
      const g = treeLeaves(pullback(tensor(e))) as Tensor[];
      rows.push(
        concat(
          g.map((t) => reshape(t, [1, t.size])),
          1,
        ),
      );
    }
    return concat(rows, 0);
  };
  const Jx = jac(X);
  const Jy = y === undefined ? Jx : jac(Y);
  return matmul(Jx, transpose(Jy));
}
