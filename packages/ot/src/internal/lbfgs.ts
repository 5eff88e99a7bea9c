// Minimal L-BFGS with backtracking (Armijo) line search for smooth unconstrained minimisation.
// Nocedal & Wright, "Numerical Optimization" (2006), Alg. 7.4–7.5. Used by the smooth-OT dual.
// For convex objectives, `lineSearch: "slope"` brackets the sign change of the directional derivative
// φ'(t) = dᵀ∇f(x + t d) instead of comparing function values: φ' is monotone, so any t with
// 0.9 φ'(0) ≤ φ'(t) ≤ 0 lies before the line minimiser and decreases f. Near the optimum f changes
// below its rounding error while gradients stay accurate, so this keeps converging where Armijo stalls.

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  gradNorm: number;
}

export function lbfgs(
  fg: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  {
    maxIter = 1000,
    tol = 1e-9,
    memory = 10,
    lineSearch = "armijo",
  }: { maxIter?: number; tol?: number; memory?: number; lineSearch?: "armijo" | "slope" } = {},
): LbfgsResult {
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xn = new Float64Array(n);
  const gn = new Float64Array(n);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, t) => s + t * t, 0));
  let it = 0;
  let gnorm = norm(g);
  while (it < maxIter && gnorm > tol) {
    // Two-loop recursion: d = −H g.
    d.set(g);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      let s = 0;
      for (let i = 0; i < n; i++) s += S[k]![i]! * d[i]!;
      const al = rho[k]! * s;
      alpha[k] = al;
      for (let i = 0; i < n; i++) d[i] = d[i]! - al * Y[k]![i]!;
    }
    if (S.length > 0) {
      const last = S.length - 1;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += S[last]![i]! * Y[last]![i]!;
        yy += Y[last]![i]! ** 2;
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    }
    for (let k = 0; k < S.length; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Y[k]![i]! * d[i]!;
      const be = rho[k]! * s;
      for (let i = 0; i < n; i++) d[i] = d[i]! + S[k]![i]! * (alpha[k]! - be);
    }
    for (let i = 0; i < n; i++) d[i] = -d[i]!;
    let slope = 0;
    for (let i = 0; i < n; i++) slope += d[i]! * g[i]!;
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = -gnorm * gnorm;
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
    }
    let t = S.length === 0 ? Math.min(1, 1 / gnorm) : 1;
    let fn = 0;
    if (lineSearch === "slope") {
      fn = slopeSearch(fg, x, d, slope, t, xn, gn);
    } else
      for (let ls = 0; ls < 60; ls++) {
        for (let i = 0; i < n; i++) xn[i] = x[i]! + t * d[i]!;
        fn = fg(xn, gn);
        if (fn <= f + 1e-4 * t * slope) break;
        // Near the optimum f changes below rounding: accept a step that shrinks the gradient instead.
        if (fn <= f + 1e-14 * Math.abs(f) && norm(gn) < gnorm) break;
        t *= 0.5;
      }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xn[i]! - x[i]!;
      y[i] = gn[i]! - g[i]!;
      sy += s[i]! * y[i]!;
      ss += s[i]! * s[i]!;
      yy += y[i]! * y[i]!;
    }
    // Curvature pairs must satisfy sᵀy > 0. The Armijo mode keeps its historical absolute test; the
    // slope mode, meant to run down to gradients of 1e-10 and below, where sᵀy is far under 1e-16,
    // uses a scale-free one (angle between s and y below ~90° − 1e-10 rad).
    const curvatureOk = lineSearch === "slope" ? sy > 1e-10 * Math.sqrt(ss * yy) : sy > 1e-16;
    x.set(xn);
    g.set(gn);
    const fPrev = f;
    f = fn;
    gnorm = norm(g);
    it++;
    if (curvatureOk) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    if (lineSearch === "slope") {
      // A step below the rounding of x: the line search found no point before the line minimiser
      // (a kink of a non-smooth objective, or rounding), so further iterations cannot move.
      let xx = 0;
      for (let i = 0; i < n; i++) xx += x[i]! * x[i]!;
      if (ss <= 1e-32 * Math.max(1, xx)) break;
    } else if (Math.abs(fPrev - f) <= 1e-16 * Math.max(1, Math.abs(f)) && gnorm > tol && sy <= 1e-16) break;
  }
  return { x, value: f, iterations: it, converged: gnorm <= tol, gradNorm: gnorm };
}

/** Bracketing search for 0.9·slope ≤ φ'(t) ≤ 0 on a convex φ(t) = f(x + t d); leaves x + t d, ∇f there in xn, gn. */
function slopeSearch(
  fg: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  d: Float64Array,
  slope: number,
  t0: number,
  xn: Float64Array,
  gn: Float64Array,
): number {
  const n = x.length;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let t = t0;
  let fLo = Number.NaN;
  const xLo = new Float64Array(n);
  const gLo = new Float64Array(n);
  const eval_ = (s: number) => {
    for (let i = 0; i < n; i++) xn[i] = x[i]! + s * d[i]!;
    const f = fg(xn, gn);
    let dp = 0;
    for (let i = 0; i < n; i++) dp += d[i]! * gn[i]!;
    return { f, dp };
  };
  for (let ls = 0; ls < 60; ls++) {
    const { f, dp } = eval_(t);
    if (dp > 0 || !Number.isFinite(f)) hi = t;
    else {
      if (dp >= 0.9 * slope) return f;
      lo = t;
      fLo = f;
      xLo.set(xn);
      gLo.set(gn);
    }
    t = Number.isFinite(hi) ? (lo + hi) / 2 : 2 * t;
  }
  // No point met the curvature test (a kink of a non-smooth objective): keep the last point before it.
  if (lo > 0) {
    xn.set(xLo);
    gn.set(gLo);
    return fLo;
  }
  return eval_(0).f;
}
