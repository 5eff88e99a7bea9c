// Loss, gradients and the K-FAC statistics { a, g } of every dense layer of an MLP in one reverse pass.
// The per-example pre-activation gradients are read off as the gradients of zero perturbations e_l
// added to each pre-activation s_l = a_l W_l + b_l + e_l (the "tap" trick of kfac-jax and BackPACK):
// ∂L/∂e_l = ∂L/∂s_l row by row, and B·∂L/∂s_l is ∂ℓ_i/∂s_l for a batch-mean loss L = (1/B)Σℓ_i.
import {
  add,
  type Key,
  logSoftmax,
  matmul,
  mul,
  normal,
  relu,
  ShapeError,
  sigmoid,
  square,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  tanh,
  tensor,
  ValueError,
  valueAndGrad,
  zeros,
} from "@x/tensor";
import type { DenseLayer, KfacLayerStats } from "./kfac.js";

export interface MlpOptions {
  /** Hidden-layer activation (default 'tanh'); the last layer is linear. */
  activation?: "tanh" | "relu" | "sigmoid" | "identity";
  /** 'mse': L = (1/2B)Σ‖f(xᵢ) − yᵢ‖²; 'cross-entropy': L = −(1/B)Σ yᵢᵀ log softmax f(xᵢ) (y one-hot or probabilities). */
  loss?: "mse" | "cross-entropy";
  /**
   * 'empirical' (default): g from the observed targets (empirical Fisher). With a key, 'mse' instead samples
   * g = Jᵀε, ε ~ N(0, I) per example, so E[ggᵀ] is the model's Fisher (= the Gauss–Newton matrix for MSE).
   */
  fisherKey?: Key;
}

export interface MlpKfacStats {
  value: number;
  grads: DenseLayer[];
  layers: KfacLayerStats[];
}

const acts = { tanh, relu, sigmoid, identity: (t: Tensor) => t } as const;

/** The MLP s_L(x) with layers [{ w, b? }, …]; returns the output. */
export function mlpForward(params: readonly DenseLayer[], x: TensorLike, opts: MlpOptions = {}): Tensor {
  const act = acts[opts.activation ?? "tanh"];
  let h = tensor(x, undefined, "mlpForward: x");
  params.forEach((l, i) => {
    let s = matmul(h, l.w);
    if (l.b) s = add(s, l.b);
    h = i < params.length - 1 ? act(s) : s;
  });
  return h;
}

/** Loss, gradients over params and per-layer K-FAC statistics for an MLP on one batch (x [B, in], y [B, out]). */
export function mlpKfacStats(
  params: readonly DenseLayer[],
  x: TensorLike,
  y: TensorLike,
  opts: MlpOptions = {},
): MlpKfacStats {
  const fn = "mlpKfacStats";
  const act = acts[opts.activation ?? "tanh"];
  if (!act) throw new ValueError(`${fn}: unknown activation '${opts.activation}'`);
  const lossKind = opts.loss ?? "mse";
  if (lossKind !== "mse" && lossKind !== "cross-entropy") {
    throw new ValueError(`${fn}: loss must be 'mse' or 'cross-entropy', got '${lossKind}'`);
  }
  if (!Array.isArray(params) || params.length === 0) throw new ValueError(`${fn}: params must be a non-empty array`);
  const xt = tensor(x, undefined, `${fn}: x`);
  const yt = tensor(y, undefined, `${fn}: y`);
  if (xt.rank !== 2) throw new ShapeError(`${fn}: x must be [batch, in], got [${xt.shape.join(", ")}]`);
  const B = xt.shape[0]!;
  const outDim = params[params.length - 1]!.w.shape[1]!;
  if (yt.rank !== 2 || yt.shape[0] !== B || yt.shape[1] !== outDim) {
    throw new ShapeError(`${fn}: y must be [${B}, ${outDim}], got [${yt.shape.join(", ")}]`);
  }
  let prevOut = xt.shape[1]!;
  params.forEach((l, i) => {
    if (l.w.rank !== 2 || l.w.shape[0] !== prevOut) {
      throw new ShapeError(`${fn}: params[${i}].w must be [${prevOut}, out], got [${l.w.shape.join(", ")}]`);
    }
    prevOut = l.w.shape[1]!;
  });
  const taps = params.map((l) => zeros([B, l.w.shape[1]!]));
  const inputs: Float64Array[] = [];
  const forward = (ps: readonly DenseLayer[], es: readonly Tensor[]): Tensor => {
    let h = xt;
    ps.forEach((l, i) => {
      inputs[i] = Float64Array.from(h.data);
      let s = matmul(h, l.w);
      if (l.b) s = add(s, l.b);
      s = add(s, es[i]!);
      h = i < ps.length - 1 ? act(s) : s;
    });
    return h;
  };
  const lossOf = (out: Tensor): Tensor =>
    lossKind === "mse" ? mul(0.5 / B, sum(square(sub(out, yt)))) : mul(-1 / B, sum(mul(yt, logSoftmax(out, -1))));
  const [v, g] = valueAndGrad((ps: readonly DenseLayer[], es: readonly Tensor[]) => lossOf(forward(ps, es)), [0, 1])(
    params,
    taps,
  ) as [Tensor, [DenseLayer[], Tensor[]]];
  let gTaps = g[1];
  if (opts.fisherKey !== undefined) {
    if (lossKind !== "mse") throw new ValueError(`${fn}: fisherKey (sampled Fisher) is supported for loss 'mse' only`);
    // ∂/∂e of (1/B)Σᵢ εᵢᵀ f(xᵢ) gives rows Jᵢᵀεᵢ / B, so E[B²·ggᵀ] = E[Jᵀεεᵀ J] = JᵀJ.
    const eps = normal(opts.fisherKey, [B, outDim]);
    gTaps = valueAndGrad((es: readonly Tensor[]) => mul(1 / B, sum(mul(eps, forward(params, es)))))(taps)[1];
  }
  const layers = gTaps.map((t, i) => ({
    a: tensor(inputs[i]!, [B, params[i]!.w.shape[0]!]),
    g: tensor(
      t.data.map((u) => u * B),
      [B, t.shape[1]!],
    ),
  }));
  return { value: v.data[0]!, grads: g[0], layers };
}
