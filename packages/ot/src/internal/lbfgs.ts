// Minimal L-BFGS with backtracking (Armijo) line search for smooth unconstrained minimisation.
// Nocedal & Wright, "Numerical Optimization" (2006), Alg. 7.4–7.5. Used by the smooth-OT dual.

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
  { maxIter = 1000, tol = 1e-9, memory = 10 } = {},
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
    for (let i = 0; i < n; i++) {
      s[i] = xn[i]! - x[i]!;
      y[i] = gn[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    x.set(xn);
    g.set(gn);
    const fPrev = f;
    f = fn;
    gnorm = norm(g);
    it++;
    if (sy > 1e-16) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    if (Math.abs(fPrev - f) <= 1e-16 * Math.max(1, Math.abs(f)) && gnorm > tol && sy <= 1e-16) break;
  }
  return { x, value: f, iterations: it, converged: gnorm <= tol, gradNorm: gnorm };
}
