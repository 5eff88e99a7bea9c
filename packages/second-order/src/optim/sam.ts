// Sharpness-aware minimisation (Foret et al. 2021) and adaptive SAM (Kwon et al. 2021) as a gradient
// wrapper: the returned gradient ∇L(w + ε) at the ascent point ε = ρ g/‖g‖ (SAM) or
// ε = ρ T²g/‖Tg‖ with T = diag(|w| + η) (ASAM, η = 0.01), feeds any optimiser (sgd, adam...).
import { type PyTree, ValueError } from "@x/tensor";
import { makeProblem, type Objective } from "../internal/problem.js";

export interface SamGradient {
  /** ∇L(w + ε): the gradient the optimiser should use. */
  grad: PyTree;
  /** L(w) and ∇L(w) at the unperturbed point. */
  value: number;
  plainGrad: PyTree;
  /** The perturbation ε. */
  perturbation: PyTree;
}

const ASAM_ETA = 0.01;

export function samGradient(loss: Objective, params: unknown, rho = 0.05, adaptive = false): SamGradient {
  if (!(Number.isFinite(rho) && rho >= 0)) throw new ValueError(`samGradient: rho must be a number ≥ 0, got ${rho}`);
  const P = makeProblem(loss, params, "samGradient");
  const w = P.x0;
  const { f, g } = P.valueGrad(w);
  const t = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) t[i] = adaptive ? Math.abs(w[i]!) + ASAM_ETA : 1;
  let nrm = 0;
  for (let i = 0; i < w.length; i++) nrm += (t[i]! * g[i]!) ** 2;
  nrm = Math.sqrt(nrm);
  const eps = new Float64Array(w.length);
  // A zero gradient has no ascent direction: ε = 0 and SAM returns the plain gradient.
  if (nrm > 0) for (let i = 0; i < w.length; i++) eps[i] = (rho * t[i]! * t[i]! * g[i]!) / nrm;
  const wp = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) wp[i] = w[i]! + eps[i]!;
  const gp = P.valueGrad(wp).g;
  return { grad: P.unflatten(gp), value: f, plainGrad: P.unflatten(g), perturbation: P.unflatten(eps) };
}
