// Anderson acceleration for fixed points x = T(x) (Anderson 1965; Walker & Ni, "Anderson acceleration
// for fixed-point iterations", SIAM J. Numer. Anal. 2011): the next iterate mixes the last m images
// with weights minimising the combined residual ‖Σ αᵢ (T(xᵢ) − xᵢ)‖, Σαᵢ = 1 (regularised normal
// equations of the small m×m least-squares problem, solved by Gaussian elimination).
import { ValueError } from "@x/tensor";
import { vnorm } from "../internal/vec.js";

export interface AndersonOptions {
  /** Memory m (default 5; 0 = plain iteration). */
  memory?: number;
  /** Mixing β (default 1). */
  beta?: number;
  /** Stop when ‖T(x) − x‖ ≤ tol·max(1, ‖x‖) (default 1e-12). */
  tol?: number;
  maxIter?: number;
  /** Tikhonov term of the least-squares weights (default 1e-10, relative). */
  lam?: number;
}

export interface AndersonResult {
  x: Float64Array;
  converged: boolean;
  iterations: number;
  residual: number;
  residualHistory: number[];
}

function solveSmall(M: number[][], r: number[]): number[] {
  const n = r.length;
  const a = M.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const piv = a[c]![c]!;
    for (let i = c + 1; i < n; i++) {
      const f = a[i]![c]! / piv;
      for (let j = c; j <= n; j++) a[i]![j]! -= f * a[c]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= a[i]![j]! * x[j]!;
    x[i] = s / a[i]![i]!;
  }
  return x;
}

export function anderson(
  T: (x: Float64Array) => Float64Array,
  x0: Float64Array,
  options: AndersonOptions = {},
): AndersonResult {
  const m = options.memory ?? 5;
  const beta = options.beta ?? 1;
  const tol = options.tol ?? 1e-12;
  const maxIter = options.maxIter ?? 500;
  const lam = options.lam ?? 1e-10;
  if (!Number.isInteger(m) || m < 0) throw new ValueError(`anderson: memory must be an integer ≥ 0, got ${m}`);
  if (!(beta > 0 && beta <= 1)) throw new ValueError(`anderson: beta must be in (0, 1], got ${beta}`);
  const n = x0.length;
  let x: Float64Array = Float64Array.from(x0);
  const Xs: Float64Array[] = [];
  const Fs: Float64Array[] = []; // residuals f = T(x) − x
  const Gs: Float64Array[] = []; // images T(x)
  const hist: number[] = [];
  for (let k = 0; k < maxIter; k++) {
    const g = T(x);
    const f = g.map((v, i) => v - x[i]!);
    const res = vnorm(f);
    hist.push(res);
    if (!Number.isFinite(res)) return { x, converged: false, iterations: k, residual: res, residualHistory: hist };
    if (res <= tol * Math.max(1, vnorm(x)))
      return { x, converged: true, iterations: k, residual: res, residualHistory: hist };
    Xs.push(x);
    Fs.push(f);
    Gs.push(g);
    if (Fs.length > m + 1) {
      Xs.shift();
      Fs.shift();
      Gs.shift();
    }
    const h = Fs.length;
    // min ‖Σ αᵢ fᵢ‖² s.t. Σα = 1: KKT [FᵀF + λI, 1; 1ᵀ, 0][α; ν] = [0; 1].
    const FF = Fs.map((fi) => Fs.map((fj) => fi.reduce((s, v, t) => s + v * fj[t]!, 0)));
    const scale = Math.max(...FF.map((row, i) => row[i]!), 1e-300);
    const M = FF.map((row, i) => [...row.map((v, j) => v + (i === j ? lam * scale : 0)), 1]);
    M.push([...new Array<number>(h).fill(1), 0]);
    const sol = solveSmall(M, [...new Array<number>(h).fill(0), 1]);
    const alpha = sol.slice(0, h);
    const next = new Float64Array(n);
    for (let i = 0; i < h; i++) {
      const a = alpha[i]!;
      for (let t = 0; t < n; t++) next[t]! += a * (beta * Gs[i]![t]! + (1 - beta) * Xs[i]![t]!);
    }
    x = next.every(Number.isFinite) ? next : Float64Array.from(g);
  }
  const g = T(x);
  const res = vnorm(g.map((v, i) => v - x[i]!));
  return { x, converged: false, iterations: maxIter, residual: res, residualHistory: hist };
}
