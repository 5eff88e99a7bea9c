// Free-support Wasserstein barycenter: alternate exact OT plans to each input and the barycentric
// update of the support points. Method: Cuturi & Doucet, "Fast computation of Wasserstein
// barycenters" (ICML 2014), Alg. 2 with θ = 1; POT's ot.lp.free_support_barycenter.
import { asTensor, fromData, ShapeError, type Tensor, type TensorLike } from "@x/tensor";
import { dist } from "./dist.js";
import { emdArrays } from "./emd.js";
import { checkMarginal, vec } from "./internal/validate.js";

export interface FreeSupportBarycenterOptions {
  /** Weights of each input measure's points (default uniform). */
  measureWeights?: TensorLike[];
  /** Barycentric weights of the measures (default uniform). */
  weights?: TensorLike;
  /** Weights of the barycenter's points (default uniform). */
  b?: TensorLike;
  maxIter?: number;
  /** Stop when Σ ‖X_new − X‖² < tol (default 1e-7, as POT). */
  tol?: number;
}

export interface FreeSupportBarycenterResult {
  X: Tensor;
  converged: boolean;
  iterations: number;
  displacements: number[];
}

/** Barycenter support X (k × d, started at xInit) of the measures at `locations` (each n_i × d). */
export function freeSupportBarycenter(
  locations: TensorLike[],
  xInit: TensorLike,
  opts: FreeSupportBarycenterOptions = {},
): FreeSupportBarycenterResult {
  let Xc = asTensor(xInit, "xInit");
  if (Xc.rank !== 2) throw new ShapeError(`xInit must be (k, d), got [${Xc.shape}]`);
  const [k, d] = Xc.shape as [number, number];
  const locs = locations.map((l, i) => {
    const t = asTensor(l, `locations[${i}]`);
    if (t.rank !== 2 || t.shape[1] !== d) throw new ShapeError(`locations[${i}] must be (n, ${d}), got [${t.shape}]`);
    return t;
  });
  const nm = locs.length;
  const lam = opts.weights === undefined ? new Float64Array(nm).fill(1 / nm) : vec(opts.weights, "weights");
  if (lam.length !== nm) throw new ShapeError(`weights has ${lam.length} entries for ${nm} measures`);
  const b = opts.b === undefined ? new Float64Array(k).fill(1 / k) : vec(opts.b, "b");
  checkMarginal(b, "b");
  const mw = locs.map((l, i) => {
    const n = l.shape[0]!;
    const w = opts.measureWeights?.[i];
    const v = w === undefined ? new Float64Array(n).fill(1 / n) : vec(w, `measureWeights[${i}]`);
    const s = checkMarginal(v, `measureWeights[${i}]`);
    // Rescale to b's mass so each subproblem is balanced.
    let sb = 0;
    for (const x of b) sb += x;
    return v.map((x) => (x * sb) / s);
  });
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-7;
  const displacements: number[] = [];
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    const T = new Float64Array(k * d);
    locs.forEach((L, m) => {
      const C = dist(Xc, L).data;
      const n = L.shape[0]!;
      const P = emdArrays(b, mw[m]!, C).plan;
      const Ld = L.data;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < n; j++) {
          const pij = P[i * n + j]!;
          if (pij === 0) continue;
          const s = (lam[m]! * pij) / b[i]!;
          for (let c = 0; c < d; c++) T[i * d + c] = T[i * d + c]! + s * Ld[j * d + c]!;
        }
      }
    });
    let disp = 0;
    const xd = Xc.data;
    for (let q = 0; q < k * d; q++) disp += (T[q]! - xd[q]!) ** 2;
    Xc = fromData(T, [k, d]);
    it++;
    displacements.push(disp);
    if (disp < tol) {
      converged = true;
      break;
    }
  }
  return { X: Xc, converged, iterations: it, displacements };
}
