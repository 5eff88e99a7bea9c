// Partial OT: transport only mass m ≤ min(Σa, Σb).
// Exact: Chapel, Alaya & Gasso, "Partial optimal transport with applications on positive-unlabeled
// learning" (NeurIPS 2020) — add one dummy point on each side that absorbs the untransported mass,
// then solve a balanced EMD. Entropic: Benamou, Carlier, Cuturi, Nenna & Peyré, "Iterative Bregman
// projections for regularized transportation problems" (SIAM J. Sci. Comput. 2015), Dykstra-type
// projections onto {P𝟙 ≤ a}, {Pᵀ𝟙 ≤ b}, {Σ P = m}. Both follow POT's ot.partial.
import * as X from "@x/tensor";
import { fromData, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { emdArrays } from "./emd.js";
import { checkCost, checkMarginal, checkPositive, marginalOrUniform, mat } from "./internal/validate.js";

export interface PartialResult {
  plan: Tensor;
  cost: number;
  converged: boolean;
  iterations: number;
}

function setup(a: TensorLike | undefined, b: TensorLike | undefined, M: TensorLike, m: number | undefined) {
  const mm = mat(M, "M");
  checkCost(mm);
  const av = marginalOrUniform(a, mm.rows, "a");
  const bv = marginalOrUniform(b, mm.cols, "b");
  const sa = checkMarginal(av, "a");
  const sb = checkMarginal(bv, "b");
  const mass = m ?? Math.min(sa, sb);
  if (!(mass >= 0) || mass > Math.min(sa, sb) * (1 + 1e-12)) {
    throw new ValueError(`m must be in [0, min(sum(a), sum(b))] = [0, ${Math.min(sa, sb)}], got ${m}`);
  }
  return { av, bv, sa, sb, mass: Math.min(mass, sa, sb), M: mm };
}

/** Exact partial OT plan moving mass m (default min(Σa, Σb)), via dummy points and the network simplex. */
export function partialWasserstein(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  m?: number,
  opts: { maxIter?: number } = {},
): PartialResult {
  const { av, bv, sa, sb, mass, M: mm } = setup(a, b, M, m);
  const { rows: n1, cols: n2, data: C } = mm;
  let maxC = 0;
  for (const c of C) maxC = Math.max(maxC, c);
  const ae = new Float64Array(n1 + 1);
  const be = new Float64Array(n2 + 1);
  ae.set(av);
  be.set(bv);
  ae[n1] = sb - mass;
  be[n2] = sa - mass;
  // Dummy–dummy transport is forbidden by a large cost; real–dummy arcs are free.
  const Ce = new Float64Array((n1 + 1) * (n2 + 1));
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) Ce[i * (n2 + 1) + j] = C[i * n2 + j]!;
  Ce[n1 * (n2 + 1) + n2] = 2 * maxC + 1;
  const r = emdArrays(ae, be, Ce, opts.maxIter ?? 100000, false);
  const P = new Float64Array(n1 * n2);
  let cost = 0;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      P[i * n2 + j] = r.plan[i * (n2 + 1) + j]!;
      cost += P[i * n2 + j]! * C[i * n2 + j]!;
    }
  }
  return { plan: fromData(P, [n1, n2]), cost, converged: r.status === "optimal", iterations: r.iterations };
}

/** Exact partial OT cost ⟨P, M⟩ as a scalar tensor (POT's partial_wasserstein2). */
export function partialWasserstein2(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  m?: number,
): Tensor {
  return X.scalarTensor(partialWasserstein(a, b, M, m).cost);
}

/** Entropic partial OT plan with total mass m by iterative Bregman (Dykstra) projections. */
export function entropicPartialWasserstein(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  reg: number,
  m?: number,
  opts: { maxIter?: number; tol?: number } = {},
): PartialResult {
  checkPositive(reg, "reg");
  const { av, bv, mass, M: mm } = setup(a, b, M, m);
  const { rows: n1, cols: n2, data: C } = mm;
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-9;
  const N = n1 * n2;
  let K = new Float64Array(N);
  let s = 0;
  for (let k = 0; k < N; k++) s += K[k] = Math.exp(-C[k]! / reg);
  for (let k = 0; k < N; k++) K[k] = (K[k]! * mass) / s;
  const q1 = new Float64Array(N).fill(1);
  const q2 = new Float64Array(N).fill(1);
  const q3 = new Float64Array(N).fill(1);
  let it = 0;
  let err = Number.POSITIVE_INFINITY;
  let converged = false;
  // Dykstra's correction terms q1..q3 make cyclic KL projections converge to the projection onto the
  // intersection of the three convex sets.
  while (it < maxIter) {
    const Kprev = K;
    const A = new Float64Array(N);
    for (let k = 0; k < N; k++) A[k] = K[k]! * q1[k]!;
    const K1 = new Float64Array(N);
    for (let i = 0; i < n1; i++) {
      let r = 0;
      for (let j = 0; j < n2; j++) r += A[i * n2 + j]!;
      const sc = Math.min(av[i]! / r, 1);
      for (let j = 0; j < n2; j++) K1[i * n2 + j] = A[i * n2 + j]! * sc;
    }
    for (let k = 0; k < N; k++) q1[k] = (q1[k]! * Kprev[k]!) / K1[k]!;
    const B = new Float64Array(N);
    for (let k = 0; k < N; k++) B[k] = K1[k]! * q2[k]!;
    const colS = new Float64Array(n2);
    for (let k = 0; k < N; k++) colS[k % n2] = colS[k % n2]! + B[k]!;
    const K2 = new Float64Array(N);
    for (let k = 0; k < N; k++) K2[k] = B[k]! * Math.min(bv[k % n2]! / colS[k % n2]!, 1);
    for (let k = 0; k < N; k++) q2[k] = (q2[k]! * K1[k]!) / K2[k]!;
    const D = new Float64Array(N);
    let tot = 0;
    for (let k = 0; k < N; k++) tot += D[k] = K2[k]! * q3[k]!;
    K = new Float64Array(N);
    for (let k = 0; k < N; k++) K[k] = (D[k]! * mass) / tot;
    for (let k = 0; k < N; k++) q3[k] = (q3[k]! * K2[k]!) / K[k]!;
    it++;
    if (K.some((x) => !Number.isFinite(x))) break;
    err = 0;
    for (let k = 0; k < N; k++) err += (Kprev[k]! - K[k]!) ** 2;
    err = Math.sqrt(err);
    if (err < tol) {
      converged = true;
      break;
    }
  }
  let cost = 0;
  for (let k = 0; k < N; k++) cost += K[k]! * C[k]!;
  return { plan: fromData(K, [n1, n2]), cost, converged, iterations: it };
}
