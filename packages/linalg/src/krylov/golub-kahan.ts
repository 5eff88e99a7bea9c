// Pieces shared by LSQR and LSMR (both Golub–Kahan bidiagonalisation methods; Paige & Saunders 1982,
// Fong & Saunders 2011): the stop messages indexed by istop, and SciPy's stable Givens rotation.
export const MESSAGES = [
  "The exact solution is x = x0",
  "Ax - b is small enough, given atol, btol",
  "The least-squares solution is good enough, given atol",
  "The estimate of cond(Abar) has exceeded conlim",
  "Ax - b is small enough for this machine",
  "The least-squares solution is good enough for this machine",
  "Cond(Abar) seems to be too large for this machine",
  "The iteration limit has been reached",
];

// Stable Givens rotation (c, s, r) with c·a + s·b = r, as SciPy's _sym_ortho.
export function symOrtho(a: number, b: number): [number, number, number] {
  if (b === 0) return [Math.sign(a) || 1, 0, Math.abs(a)];
  if (a === 0) return [0, Math.sign(b), Math.abs(b)];
  if (Math.abs(b) > Math.abs(a)) {
    const tau = a / b;
    const s = Math.sign(b) / Math.sqrt(1 + tau * tau);
    return [s * tau, s, b / s];
  }
  const tau = b / a;
  const c = Math.sign(a) / Math.sqrt(1 + tau * tau);
  return [c, c * tau, a / c];
}
