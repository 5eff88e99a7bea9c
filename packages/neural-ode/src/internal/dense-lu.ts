// A small in-place dense LU with partial pivoting on a row-major Float64Array (Golub & Van Loan, Alg. 3.4.1).
// Stiff ODE solvers factor tiny n×n matrices thousands of times; @x/linalg's Tensor `lu` allocates tensors per call,
// which costs more than the factorisation itself at n ≤ 20, so the hot loop uses this one.
export class DenseLu {
  readonly lu: Float64Array;
  readonly piv: Int32Array;
  singular = false;
  constructor(readonly n: number) {
    this.lu = new Float64Array(n * n);
    this.piv = new Int32Array(n);
  }

  /** Factor the matrix currently stored in `this.lu`; returns false when a pivot is exactly zero. */
  factor(): boolean {
    const { n, lu, piv } = this;
    this.singular = false;
    for (let k = 0; k < n; k++) {
      let p = k;
      let best = Math.abs(lu[k * n + k]!);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(lu[i * n + k]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      piv[k] = p;
      if (best === 0 || !Number.isFinite(best)) {
        this.singular = true;
        return false;
      }
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const tmp = lu[k * n + j]!;
          lu[k * n + j] = lu[p * n + j]!;
          lu[p * n + j] = tmp;
        }
      }
      const inv = 1 / lu[k * n + k]!;
      for (let i = k + 1; i < n; i++) {
        const l = lu[i * n + k]! * inv;
        lu[i * n + k] = l;
        if (l !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - l * lu[k * n + j]!;
      }
    }
    return true;
  }

  /** Solve A x = b in place (b ← x). */
  solve(b: Float64Array): void {
    const { n, lu, piv } = this;
    for (let k = 0; k < n; k++) {
      const p = piv[k]!;
      if (p !== k) {
        const tmp = b[k]!;
        b[k] = b[p]!;
        b[p] = tmp;
      }
    }
    for (let i = 1; i < n; i++) {
      let s = b[i]!;
      for (let j = 0; j < i; j++) s -= lu[i * n + j]! * b[j]!;
      b[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i]!;
      for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * b[j]!;
      b[i] = s / lu[i * n + i]!;
    }
  }
}
