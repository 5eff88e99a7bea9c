// Dense two-phase primal simplex (Dantzig's tableau method; Phase I with one artificial variable as in Cormen et al.,
// "Introduction to Algorithms", §29.5) for the small LPs of branch and bound. Entering column: Dantzig's most negative
// reduced cost (far fewer pivots than Bland's rule on the LPs of the split search), switching for good to Bland's
// rule, which cannot cycle, after a run of degenerate pivots (Chvátal, "Linear Programming", ch. 3):
// maximise c·x subject to A·x ≤ b, x ≥ 0. Plain float64 without outward rounding: callers never trust the optimum
// itself, they turn the returned point or dual multipliers into a certified bound with rounded arithmetic.
import { ShapeError, ValueError } from "@x/tensor";

export interface SimplexOptions {
  /** pivot limit over both phases (default 50·(m + n) + 100) */
  maxIter?: number;
  /** pivot / feasibility tolerance relative to the data's magnitude (default 1e-11) */
  tol?: number;
}

export interface SimplexResult {
  status: "optimal" | "infeasible" | "unbounded" | "iterationLimit";
  /** primal point (n); the last basic solution when not optimal */
  x: Float64Array;
  /** c·x */
  objective: number;
  /** dual multipliers y ≥ 0 of the m constraints: at an optimum, yᵀA ≥ c and yᵀb = c·x */
  dual: Float64Array;
  iterations: number;
}

const DEGENERATE_RUN = 8;

/** Maximises c·x over {x ≥ 0 : A·x ≤ b}; A is m × n row-major. */
export function simplexMax(
  A: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  n: number,
  opts: SimplexOptions = {},
): SimplexResult {
  if (A.length !== m * n || b.length !== m || c.length !== n)
    throw new ShapeError(`simplexMax: A must be ${m}×${n}, b ${m} and c ${n} long`);
  for (const a of [A, b, c])
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i]!)) throw new ValueError("simplexMax: A, b and c must be finite");
  const maxIter = opts.maxIter ?? 50 * (m + n) + 100;
  let scale = 1;
  for (const v of A) scale = Math.max(scale, Math.abs(v));
  const tol = (opts.tol ?? 1e-11) * scale;
  // columns: x (n), slacks (m), artificial x₀, right-hand side
  const art = n + m;
  const W = n + m + 2;
  const rhs = W - 1;
  const T = new Float64Array(m * W);
  const basis = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) T[i * W + j] = A[i * n + j]!;
    T[i * W + n + i] = 1;
    T[i * W + art] = -1;
    T[i * W + rhs] = b[i]!;
    basis[i] = n + i;
  }
  // objective row: z − Σ cⱼxⱼ = 0, stored as the coefficients (−cⱼ) and z in the rhs column
  const z = new Float64Array(W);
  let iterations = 0;
  let blocked = -1; // the artificial column once Phase I is over

  const pivot = (p: number, q: number) => {
    const row = p * W;
    const inv = 1 / T[row + q]!;
    for (let j = 0; j < W; j++) T[row + j] = T[row + j]! * inv;
    T[row + q] = 1;
    for (let i = 0; i < m; i++) {
      if (i === p) continue;
      const f = T[i * W + q]!;
      if (f === 0) continue;
      for (let j = 0; j < W; j++) T[i * W + j] = T[i * W + j]! - f * T[row + j]!;
      T[i * W + q] = 0;
    }
    const f = z[q]!;
    if (f !== 0) {
      for (let j = 0; j < W; j++) z[j] = z[j]! - f * T[row + j]!;
      z[q] = 0;
    }
    basis[p] = q;
    iterations++;
  };

  // Dantzig's rule until DEGENERATE_RUN degenerate pivots in a row, then Bland's: the lowest-index improving column;
  // among tied ratios the row whose basic variable has the lowest index. Returns "optimal", "unbounded" or
  // "iterationLimit".
  let bland = false;
  let degenerate = 0;
  const run = (): "optimal" | "unbounded" | "iterationLimit" => {
    for (;;) {
      let q = -1;
      let most = -tol;
      for (let j = 0; j < rhs; j++) {
        if (j === blocked || !(z[j]! < most)) continue;
        q = j;
        if (bland) break;
        most = z[j]!;
      }
      if (q < 0) return "optimal";
      if (iterations >= maxIter) return "iterationLimit";
      let p = -1;
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < m; i++) {
        const a = T[i * W + q]!;
        if (a <= tol) continue;
        const ratio = Math.max(0, T[i * W + rhs]!) / a;
        if (ratio < best || (ratio === best && p >= 0 && basis[i]! < basis[p]!)) {
          best = ratio;
          p = i;
        }
      }
      if (p < 0) return "unbounded";
      degenerate = best === 0 ? degenerate + 1 : 0;
      if (degenerate >= DEGENERATE_RUN) bland = true;
      pivot(p, q);
    }
  };

  const result = (status: SimplexResult["status"]): SimplexResult => {
    const x = new Float64Array(n);
    for (let i = 0; i < m; i++) if (basis[i]! < n) x[basis[i]!] = Math.max(0, T[i * W + rhs]!);
    let objective = 0;
    for (let j = 0; j < n; j++) objective += c[j]! * x[j]!;
    const dual = new Float64Array(m);
    for (let i = 0; i < m; i++) dual[i] = Math.max(0, z[n + i]!);
    return { status, x, objective, dual, iterations };
  };

  // Phase I: when some bᵢ < 0 the slack basis is infeasible; maximise −x₀ after pivoting x₀ into the most violated row
  let worst = -1;
  for (let i = 0; i < m; i++)
    if (T[i * W + rhs]! < 0 && (worst < 0 || T[i * W + rhs]! < T[worst * W + rhs]!)) worst = i;
  if (worst >= 0) {
    z[art] = 1;
    pivot(worst, art);
    const s = run();
    if (s === "iterationLimit") return result(s);
    let bscale = 1;
    for (const v of b) bscale = Math.max(bscale, Math.abs(v));
    if (z[rhs]! < -tol * bscale) return result("infeasible");
    // x₀ = 0 now; if it is still basic (degenerate), pivot it out on any nonzero entry of its row
    const p = Array.from(basis).indexOf(art);
    if (p >= 0) {
      let q = -1;
      for (let j = 0; j < art && q < 0; j++) if (Math.abs(T[p * W + j]!) > tol) q = j;
      if (q >= 0) pivot(p, q);
    }
  }
  blocked = art;
  // Phase II objective in terms of the current basis
  z.fill(0);
  for (let j = 0; j < n; j++) z[j] = -c[j]!;
  for (let i = 0; i < m; i++) {
    const bi = basis[i]!;
    const cb = bi < n ? c[bi]! : 0;
    if (cb === 0) continue;
    for (let j = 0; j < W; j++) z[j] = z[j]! + cb * T[i * W + j]!;
  }
  for (let i = 0; i < m; i++) z[basis[i]!] = 0;
  return result(run());
}
