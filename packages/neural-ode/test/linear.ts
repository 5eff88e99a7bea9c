// Random stable linear systems y' = Ay with the closed form y(T) = expm(AT)·y0 (via @x/linalg).
import { expm } from "@x/linalg";
import { tensor } from "@x/tensor";
import fc from "fast-check";

export interface LinearProblem {
  n: number;
  A: number[][];
  y0: number[];
}

/** A = −(MMᵀ/n + I/2) + (N − Nᵀ)/2 with entries of M, N in [−1, 1]: eigenvalues have real part ≤ −1/2, ‖A‖ ≲ 3. */
export const arbLinear = (n = 3): fc.Arbitrary<LinearProblem> => {
  const entry = fc.double({ min: -1, max: 1, noNaN: true });
  return fc
    .record({
      M: fc.array(entry, { minLength: n * n, maxLength: n * n }),
      N: fc.array(entry, { minLength: n * n, maxLength: n * n }),
      y0: fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    })
    .map(({ M, N, y0 }) => {
      const A = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => {
          let s = 0;
          for (let k = 0; k < n; k++) s += M[i * n + k]! * M[j * n + k]!;
          return -s / n - (i === j ? 0.5 : 0) + (N[i * n + j]! - N[j * n + i]!) / 2;
        }),
      );
      return { n, A, y0 };
    });
};

export const linearField = (A: number[][]) => (_t: number, y: Float64Array, _a: unknown, out: Float64Array) => {
  const n = y.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i]![j]! * y[j]!;
    out[i] = s;
  }
};

export function exactLinear(p: LinearProblem, t: number): number[] {
  const E = expm(tensor(p.A.map((r) => r.map((v) => v * t)))).toArray() as number[][];
  return E.map((row) => row.reduce((s, v, j) => s + v * p.y0[j]!, 0));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
