// LV-HBA (Yao, Xu, Zeng & Zhang, "Constrained bi-level optimization: proximal Lagrangian value
// function approach and Hessian-free algorithm", ICLR 2024) for lower levels with constraints:
//   min_{λ, x} f(x, λ)  s.t.  x ∈ argmin { g(x, λ) : x ∈ Y, c(x, λ) ≤ 0 }.
// A proximal copy θ of x with multipliers μ (and their proximal centre ζ) track the proximal Lagrangian
// value function v(λ, x) = min_{θ ∈ Y} max_{μ ≥ 0} g(θ, λ) + μᵀc(θ, λ) + ‖θ − x‖²/(2γ₁) − ‖μ − ζ‖²/(2γ₂);
// (λ, x) then take a projected step on f/c_k + g(x, λ) − v(λ, x) with penalty c_k = c̲(k+1)^p growing.
// Only first-order derivatives of f, g, c are used.
import { add, grad, maximum, mul, sub, sum, type Tensor, ValueError, zeros } from "@x/tensor";
import { checkPositive } from "../internal/oracles.js";
import { vnorm } from "../internal/vec.js";
import { outerLoop, resolve } from "./common.js";
import type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec } from "./types.js";

export interface LvHbaOptions extends BilevelSolverOptions {
  /** Projection onto the lower-level set Y (default: none). */
  project?: (x: Tensor) => Tensor;
  /** Inequality constraints c(x, λ) ≤ 0 of the lower level, as a vector (default: none). */
  constraints?: (x: Tensor, lambda: Tensor) => Tensor;
  /** Projection of λ onto its feasible set (default: none). */
  projectLambda?: (lambda: Tensor) => Tensor;
  /** Proximal parameters γ₁, γ₂ (default 10, 1) and the penalty schedule c_k = cLow·(k+1)^p (default 1, 0.3). */
  gamma1?: number;
  gamma2?: number;
  cLow?: number;
  p?: number;
  /** Step size for the proximal variables θ, μ (default innerLr) and the multiplier centre ζ (default 0.5). */
  eta?: number;
  zetaStep?: number;
}

export interface LvHbaResult extends BilevelSolverResult {
  /** Multipliers of the lower-level constraints. */
  multipliers: Tensor;
  /** max(c(x, λ)) at the end (≤ 0 when feasible; −Infinity without constraints). */
  maxViolation: number;
}

export function lvHba(spec: BilevelSpec, options: LvHbaOptions = {}): LvHbaResult {
  const r = resolve(spec, options, "lvHba");
  if (options.minibatch !== undefined) {
    // Its value-function copy θ and multipliers are not built for noisy oracles; refuse rather than ignore.
    throw new ValueError("lvHba: options.minibatch is not supported (deterministic oracles only)");
  }
  const id = (t: Tensor) => t;
  const projX = options.project ?? id;
  const projL = options.projectLambda ?? id;
  const gamma1 = options.gamma1 ?? 10;
  const gamma2 = options.gamma2 ?? 1;
  const cLow = options.cLow ?? 1;
  const p = options.p ?? 0.3;
  for (const [k, v] of Object.entries({ gamma1, gamma2, cLow })) checkPositive(v, k, "lvHba");
  const eta = options.eta ?? r.innerLr;
  const zetaStep = options.zetaStep ?? 0.5;
  const cons = options.constraints;
  const nc = cons ? cons(r.x0, r.lambda0).size : 0;
  // Lagrangian term μᵀc(x, λ) and its gradients.
  const lag = (x: Tensor, l: Tensor, mu: Tensor) => (cons ? sum(mul(mu, cons(x, l))) : mul(0, sum(x)));
  const gxLag = (x: Tensor, l: Tensor, mu: Tensor) => grad((z: Tensor) => lag(z, l, mu))(x) as Tensor;
  const glLag = (x: Tensor, l: Tensor, mu: Tensor) => grad((m: Tensor) => lag(x, m, mu))(l) as Tensor;
  const gx = (fn: (x: Tensor, l: Tensor, k?: number) => Tensor) => (x: Tensor, l: Tensor, k: number) =>
    grad((z: Tensor) => fn(z, l, k))(x) as Tensor;
  const gl = (fn: (x: Tensor, l: Tensor, k?: number) => Tensor) => (x: Tensor, l: Tensor, k: number) =>
    grad((m: Tensor) => fn(x, m, k))(l) as Tensor;
  const gxF = gx(spec.outer);
  const glF = gl(spec.outer);
  const gxG = gx(spec.inner);
  const glG = gl(spec.inner);
  let theta = r.x0;
  let mu = zeros([nc]);
  let zeta = zeros([nc]);
  const res = outerLoop(spec.outer, options, r, { x: projX(r.x0), lambda: projL(r.lambda0) }, (k, s) => {
    const { x, lambda: l } = s;
    const ck = cLow * (k + 1) ** p;
    // Proximal step on θ, then the multiplier ascent (projected on μ ≥ 0).
    theta = projX(
      sub(theta, mul(eta, add(add(gxG(theta, l, k), gxLag(theta, l, mu)), mul(1 / gamma1, sub(theta, x))))),
    );
    if (cons) {
      mu = maximum(0, add(mu, mul(eta, sub(cons(theta, l), mul(1 / gamma2, sub(mu, zeta))))));
    }
    // Direction of f/c_k + g(x, λ) − v(λ, x), with ∇v from the proximal copy (Danskin).
    const dl = add(mul(1 / ck, glF(x, l, k)), sub(glG(x, l, k), add(glG(theta, l, k), glLag(theta, l, mu))));
    const dx = add(mul(1 / ck, gxF(x, l, k)), sub(gxG(x, l, k), mul(1 / gamma1, sub(x, theta))));
    const lNew = projL(sub(l, mul(r.outerLr, dl)));
    const xNew = projX(sub(x, mul(r.innerLr, dx)));
    if (cons) zeta = add(zeta, mul(zetaStep, sub(mu, zeta)));
    // Stationarity: the projected steps of (λ, x) and the gap between x and its proximal copy.
    const stationarity = Math.max(
      vnorm(sub(lNew, l).data) / r.outerLr,
      vnorm(sub(xNew, x).data) / r.innerLr,
      vnorm(sub(x, theta).data) / gamma1,
    );
    return { x: xNew, lambda: lNew, hyper: mul(ck, dl), stationarity };
  });
  const viol = cons ? Math.max(...Array.from(cons(res.x, res.lambda).data)) : Number.NEGATIVE_INFINITY;
  return { ...res, multipliers: mu, maxViolation: viol };
}
