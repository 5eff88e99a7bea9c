// Neural ODE on the 2-D spiral of torchdiffeq's ode_demo: y' = (y³)·A with A = [[−0.1, 2], [−2, −0.1]] (row vector
// convention), fitted by an MLP vector field f_θ(y) = tanh(y³·W1 + b1)·W2 + b2 trained with Adam on batches of short
// segments (batched initial conditions: the state is [batch, 2]). Optional regularisers: the solver-heuristic error
// penalty and the kinetic energy (see src/grad/regularisers.ts). Reports the NFE of an adaptive solve of the learned
// field, the quantity those regularisers are meant to reduce.
import * as X from "@x/tensor";
import { type OdeFunction, solveIvp, solveRegularised } from "../src/index.js";

export interface SpiralOptions {
  iterations?: number;
  hidden?: number;
  batch?: number;
  /** Points per training segment. */
  segment?: number;
  lr?: number;
  /** Weight of the embedded-error regulariser. */
  errorWeight?: number;
  /** Weight of the kinetic-energy regulariser. */
  kineticWeight?: number;
  seed?: number;
  /** Length of the spiral data, t ∈ [0, tEnd], and number of samples. */
  tEnd?: number;
  points?: number;
}

export interface SpiralResult {
  losses: number[];
  /** Mean squared error of the learned trajectory over the whole spiral (from y0). */
  finalMse: number;
  /** Function evaluations of an adaptive Dopri5 solve (rtol 1e-6) of the learned field over the spiral. */
  nfe: number;
  params: Mlp;
}

type Mlp = { W1: X.Tensor; b1: X.Tensor; W2: X.Tensor; b2: X.Tensor };

const A = [
  [-0.1, 2],
  [-2, -0.1],
];
const trueField: OdeFunction = (_t, y) => {
  const c0 = y[0]! ** 3;
  const c1 = y[1]! ** 3;
  return [c0 * A[0]![0]! + c1 * A[1]![0]!, c0 * A[0]![1]! + c1 * A[1]![1]!];
};

export const mlpField = (_t: number, y: X.Tensor, p: Mlp) => {
  const cube = X.mul(X.square(y), y);
  return X.add(X.matmul(X.tanh(X.add(X.matmul(cube, p.W1), p.b1)), p.W2), p.b2);
};

/** Adam (Kingma & Ba 2015) over a flat list of tensors. */
class Adam {
  private m: X.Tensor[];
  private v: X.Tensor[];
  private k = 0;
  constructor(
    shapes: X.Tensor[],
    private readonly lr: number,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = shapes.map((s) => X.zerosLike(s));
    this.v = shapes.map((s) => X.zerosLike(s));
  }
  step(params: X.Tensor[], grads: X.Tensor[]): X.Tensor[] {
    this.k++;
    const c1 = 1 - this.b1 ** this.k;
    const c2 = 1 - this.b2 ** this.k;
    return params.map((p, i) => {
      const g = grads[i]!;
      this.m[i] = X.add(X.mul(this.b1, this.m[i]!), X.mul(1 - this.b1, g));
      this.v[i] = X.add(X.mul(this.b2, this.v[i]!), X.mul(1 - this.b2, X.square(g)));
      const step = X.div(X.mul(this.lr / c1, this.m[i]!), X.add(X.sqrt(X.div(this.v[i]!, c2)), this.eps));
      return X.sub(p, step);
    });
  }
}

export function trainSpiral(o: SpiralOptions = {}): SpiralResult {
  const { iterations = 200, hidden = 16, batch = 8, segment = 6, lr = 0.01, errorWeight = 0, kineticWeight = 0 } = o;
  const { seed = 0, tEnd = 10, points = 60 } = o;
  const ts = Array.from({ length: points }, (_, i) => (i * tEnd) / (points - 1));
  const data = solveIvp(trueField, [0, tEnd], [2, 0], { method: "dop853", rtol: 1e-10, atol: 1e-10, tEval: ts });
  const truth = (j: number) => [data.y[j]!, data.y[points + j]!];
  let key = X.rng(seed);
  const [k1, k2, k3] = X.split(key, 3) as [X.Key, X.Key, X.Key];
  key = k3;
  let params: Mlp = {
    W1: X.mul(0.1, X.normal(k1, [2, hidden])),
    b1: X.zeros([hidden]),
    W2: X.mul(0.1, X.normal(k2, [hidden, 2])),
    b2: X.zeros([2]),
  };
  const names = ["W1", "b1", "W2", "b2"] as const;
  const opt = new Adam(
    names.map((k) => params[k]),
    lr,
  );
  const segTimes = Array.from({ length: segment }, (_, i) => ts[i]!);
  const losses: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const [kb, kn] = X.split(key, 2) as [X.Key, X.Key];
    key = kn;
    const starts = Array.from(X.randint(kb, [batch], 0, points - segment).data);
    const y0 = X.tensor(
      starts.flatMap((s) => truth(s)),
      [batch, 2],
    );
    const target = X.tensor(
      segTimes.flatMap((_, i) => starts.flatMap((s) => truth(s + i))),
      [segment, batch, 2],
    );
    const loss = (p: Mlp) => {
      // the field is autonomous, so every segment can start at t = 0
      const r = solveRegularised(mlpField, y0, segTimes, p, { method: "dopri5", rtol: 1e-5, atol: 1e-7 });
      let l = X.mean(X.square(X.sub(r.ys, target)));
      if (errorWeight > 0) l = X.add(l, X.mul(errorWeight, r.errorPenalty));
      if (kineticWeight > 0) l = X.add(l, X.mul(kineticWeight / batch, r.kineticEnergy));
      return l;
    };
    const [value, grads] = X.valueAndGrad(loss)(params) as [X.Tensor, Mlp];
    losses.push(value.item());
    const next = opt.step(
      names.map((k) => params[k]),
      names.map((k) => grads[k]),
    );
    params = { W1: next[0]!, b1: next[1]!, W2: next[2]!, b2: next[3]! };
  }
  const learned: OdeFunction = (t, y) => mlpField(t, X.fromData(Float64Array.from(y), [1, 2]), params).data;
  const fit = solveIvp(learned, [0, tEnd], [2, 0], { method: "dopri5", rtol: 1e-6, atol: 1e-8, tEval: ts });
  let mse = 0;
  for (let j = 0; j < points; j++) {
    const tr = truth(j);
    mse += ((fit.y[j]! - tr[0]!) ** 2 + (fit.y[points + j]! - tr[1]!) ** 2) / (2 * points);
  }
  return { losses, finalMse: fit.status === 0 ? mse : Number.NaN, nfe: fit.stats.nfev, params };
}
