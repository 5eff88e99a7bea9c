import { LinearOperator, rng, ShapeError, split, type Tensor, tensor, ValueError } from "@x/tensor";
import { arbOrthogonal, arbSPD, close, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hutchinson,
  hutchinsonDiagonal,
  hutchPlusPlus,
  jacobiEig,
  lanczos,
  lobpcg,
  powerIteration,
  slq,
  slqLogdet,
  slqTrace,
  tridiagonalEig,
} from "../src/spectral/index.js";
import fx from "./fixtures/linalg-spectral-tools.json";

/** Q diag(d) Qᵀ for orthogonal Q (n×n). */
function withSpectrum(q: Tensor, d: number[]): Tensor {
  const n = d.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q.data[i * n + k]! * d[k]! * q.data[j * n + k]!;
      out[i * n + j] = s;
    }
  return tensor(out, [n, n]);
}

const fromRows = (rows: number[][]) => tensor(Float64Array.from(rows.flat()), [rows.length, rows[0]!.length]);

function diagOp(d: Float64Array): LinearOperator {
  const n = d.length;
  return new LinearOperator(
    [n, n],
    (v) => {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = d[i]! * v.data[i]!;
      return tensor(y, [n]);
    },
    { symmetric: true },
  );
}

// Distinct, well-separated spectrum of size n (shuffled order is irrelevant: Q mixes it).
const arbSpectrum = (n: number) =>
  fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: n, maxLength: n }).map((a) => a.map((v) => v / 4));

describe("tridiagonalEig / jacobiEig", () => {
  it("tridiagonalEig reproduces T V = V Λ with orthonormal V", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 7, maxLength: 7 }),
        (d, e) => {
          const n = d.length;
          const { values, vectors } = tridiagonalEig(d, e.slice(0, n - 1));
          for (let j = 0; j < n; j++) {
            const v = vectors.subarray(j * n, (j + 1) * n);
            for (let i = 0; i < n; i++) {
              const tv = d[i]! * v[i]! + (i > 0 ? e[i - 1]! * v[i - 1]! : 0) + (i < n - 1 ? e[i]! * v[i + 1]! : 0);
              expect(Math.abs(tv - values[j]! * v[i]!)).toBeLessThan(1e-10);
            }
            if (j > 0) expect(values[j]!).toBeGreaterThanOrEqual(values[j - 1]!);
          }
          // Tracking only selected rows gives the same components (used by Lanczos and SLQ).
          const last = tridiagonalEig(d, e.slice(0, n - 1), [n - 1, 0]);
          expectClose(last.values, values, { atol: 1e-12 });
          for (let j = 0; j < n; j++) {
            expect(Math.abs(Math.abs(last.vectors[2 * j]!) - Math.abs(vectors[j * n + n - 1]!))).toBeLessThan(1e-10);
            expect(Math.abs(Math.abs(last.vectors[2 * j + 1]!) - Math.abs(vectors[j * n]!))).toBeLessThan(1e-10);
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it("tridiagonalEig is scale-equivariant far from 1 (no underflow/overflow of e_{l+1}·e_l in the QL sweep)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: 7, maxLength: 7 }),
        fc.constantFrom(-900, -600, -300, 300, 600, 900),
        (d, e, k) => {
          const n = d.length;
          const off = e.slice(0, n - 1);
          const s = 2 ** k;
          const ref = tridiagonalEig(d, off);
          const scaled = tridiagonalEig(
            d.map((v) => v * s),
            off.map((v) => v * s),
          );
          const norm = Math.max(...d.map(Math.abs), ...off) * 2;
          for (let j = 0; j < n; j++) {
            expect(Math.abs(scaled.values[j]! / s - ref.values[j]!)).toBeLessThanOrEqual(1e-12 * norm);
          }
          for (let i = 0; i < n * n; i++) {
            expect(Math.abs(Math.abs(scaled.vectors[i]!) - Math.abs(ref.vectors[i]!))).toBeLessThan(1e-9);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("jacobiEig recovers a constructed spectrum", () => {
    fc.assert(
      fc.property(arbOrthogonal(6), arbSpectrum(6), (q, d) => {
        const { values } = jacobiEig(withSpectrum(q, d).data, 6);
        expectClose(
          values,
          [...d].sort((a, b) => a - b),
          { atol: 1e-10 },
        );
      }),
      { numRuns: 20 },
    );
  });
});

describe("powerIteration", () => {
  it("finds the dominant eigenvalue of Q diag(d) Qᵀ", () => {
    fc.assert(
      fc.property(arbOrthogonal(6), fc.integer({ min: 0, max: 1000 }), (q, seed) => {
        const d = [5, 2, -1.5, 1, 0.5, -0.25];
        const res = powerIteration(withSpectrum(q, d), { seed, tol: 1e-10, maxIter: 2000 });
        expect(res.converged).toBe(true);
        expect(close(res.value, 5, { rtol: 1e-9 })).toBe(true);
        expect(res.residualNorms.length).toBe(res.iterations + 1);
      }),
      { numRuns: 20 },
    );
  });
  it("is reproducible for a fixed key", () => {
    const a = fromRows(fx.eigsh.a);
    const r1 = powerIteration(a, { key: rng(3), maxIter: 5 });
    const r2 = powerIteration(a, { key: rng(3), maxIter: 5 });
    expect(r1.value).toBe(r2.value);
  });
  it("rejects a non-square operator", () => {
    expect(() => powerIteration(tensor(new Float64Array(6), [2, 3]))).toThrow(ShapeError);
  });
});

describe("lanczos", () => {
  it("top-2 and bottom-2 of Q diag(d) Qᵀ", () => {
    fc.assert(
      fc.property(arbOrthogonal(8), arbSpectrum(8), fc.integer({ min: 0, max: 99 }), (q, d, seed) => {
        const a = withSpectrum(q, d);
        const sorted = [...d].sort((x, y) => x - y);
        const top = lanczos(a, 2, { seed, tol: 1e-10 });
        expect(top.converged).toBe(true);
        expectClose(top.values, [sorted[7]!, sorted[6]!], { atol: 1e-8 });
        const bot = lanczos(a, 2, { which: "smallest", seed, tol: 1e-10 });
        expectClose(bot.values, [sorted[0]!, sorted[1]!], { atol: 1e-8 });
        // A v = λ v for the returned vectors.
        for (let j = 0; j < 2; j++) {
          for (let i = 0; i < 8; i++) {
            let av = 0;
            for (let c = 0; c < 8; c++) av += a.data[i * 8 + c]! * bot.vectors.data[c * 2 + j]!;
            expect(Math.abs(av - bot.values.data[j]! * bot.vectors.data[i * 2 + j]!)).toBeLessThan(1e-6);
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it("matches scipy eigsh top-3 / bottom-3 on a fixed 60×60 symmetric matrix", () => {
    const a = fromRows(fx.eigsh.a);
    expectClose(lanczos(a, 3, { seed: 1 }).values, fx.eigsh.top3, { atol: 1e-8 });
    expectClose(lanczos(a, 3, { which: "smallest", seed: 1 }).values, fx.eigsh.bottom3, { atol: 1e-8 });
  });

  it("1000×1000 diagonal operator: top eigenvalue to 1e-8 in far fewer than n steps", () => {
    const d = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) d[i] = 1 + i / 999;
    d[999] = 3; // gap 1 above the bulk [1, 2)
    const res = lanczos(diagOp(d), 1, { tol: 1e-8, seed: 0 });
    expect(res.converged).toBe(true);
    expect(close(res.values.data[0]!, 3, { rtol: 1e-10 })).toBe(true);
    expect(res.iterations).toBeLessThan(60);
  });

  it("rejects k > n and non-square operators", () => {
    expect(() => lanczos(fromRows(fx.eigsh.a), 61)).toThrow(ValueError);
    expect(() => lanczos(tensor(new Float64Array(6), [2, 3]), 1)).toThrow(ShapeError);
  });
});

describe("lobpcg", () => {
  it("k smallest of Q diag(d) Qᵀ", () => {
    fc.assert(
      fc.property(arbOrthogonal(12), arbSpectrum(12), fc.integer({ min: 0, max: 99 }), (q, d, seed) => {
        const a = withSpectrum(q, d);
        const sorted = [...d].sort((x, y) => x - y);
        const res = lobpcg(a, 2, { seed, tol: 1e-9, maxIter: 300 });
        expect(res.converged).toBe(true);
        expectClose(res.values, sorted.slice(0, 2), { atol: 1e-8 });
      }),
      { numRuns: 20 },
    );
  });
  it("largest matches scipy eigsh on the fixture", () => {
    const a = fromRows(fx.eigsh.a);
    const res = lobpcg(a, 3, { largest: true, seed: 2, tol: 1e-9, maxIter: 500 });
    expect(res.converged).toBe(true);
    expectClose(res.values, fx.eigsh.top3, { atol: 1e-7 });
  });
  it("smallest of the fixture SPD with a Jacobi preconditioner matches numpy eigvalsh", () => {
    const a = fromRows(fx.slogdet.a);
    const inv = Float64Array.from({ length: 50 }, (_, i) => 1 / a.data[i * 51]!);
    const M = (r: Tensor) =>
      tensor(
        Float64Array.from(r.data, (v, i) => v * inv[i]!),
        [50],
      );
    const res = lobpcg(a, 3, { M, seed: 4, tol: 1e-9, maxIter: 500 });
    expect(res.converged).toBe(true);
    expectClose(res.values, fx.slogdet.bottom3, { atol: 1e-8 });
  });
  it("rejects k > n", () => {
    expect(() => lobpcg(fromRows(fx.eigsh.a), 61)).toThrow(ValueError);
  });
});

describe("stochastic trace estimation", () => {
  it("hutchinson is unbiased: mean of many estimates within 4 standard errors of tr(A)", () => {
    for (const distribution of ["rademacher", "gaussian"] as const) {
      fc.assert(
        fc.property(arbSPD(6), fc.integer({ min: 0, max: 1e6 }), (a, seed) => {
          let tr = 0;
          for (let i = 0; i < 6; i++) tr += a.data[i * 7]!;
          const r = hutchinson(a, { numSamples: 400, seed, distribution });
          expect(Math.abs(r.estimate - tr)).toBeLessThanOrEqual(4 * r.stderr + 1e-12);
        }),
        { numRuns: 20, seed: 20261124 },
      );
    }
  });

  it("hutchinson on the fixture SPD agrees with tr(A) within 4 stderr", () => {
    const a = fromRows(fx.slogdet.a);
    const r = hutchinson(a, { numSamples: 2000, key: rng(11) });
    expect(Math.abs(r.estimate - fx.slogdet.trace)).toBeLessThanOrEqual(4 * r.stderr);
  });

  it("hutchinsonDiagonal converges to diag(A)", () => {
    const a = fromRows(fx.slogdet.a);
    const est = hutchinsonDiagonal(a, { numSamples: 3000, seed: 5 });
    const diag = Array.from({ length: 50 }, (_, i) => a.data[i * 51]!);
    expectClose(est, diag, { atol: 0.15 });
  });

  it("Hutch++ beats Hutchinson at equal matvecs on low-rank-plus-noise matrices (seeded, averaged)", () => {
    const n = 100;
    const keys = split(rng(42), 21);
    let errH = 0;
    let errHpp = 0;
    for (let t = 0; t < 20; t++) {
      // A = U diag(big) Uᵀ + 0.01 I-ish noise: 5 dominant directions.
      const U = Array.from({ length: 5 }, (_, j) =>
        Array.from({ length: n }, (_, i) => Math.sin((i + 1) * (j + 1 + t))),
      );
      const a = new Float64Array(n * n);
      for (let j = 0; j < 5; j++)
        for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) a[i * n + c]! += (10 / (j + 1)) * U[j]![i]! * U[j]![c]!;
      for (let i = 0; i < n; i++) a[i * n + i]! += 0.1;
      const A = tensor(a, [n, n]);
      let tr = 0;
      for (let i = 0; i < n; i++) tr += a[i * n + i]!;
      errH += Math.abs(hutchinson(A, { numSamples: 30, key: keys[t]! }).estimate - tr) / tr;
      errHpp += Math.abs(hutchPlusPlus(A, { numMatvecs: 30, key: keys[t]! }).estimate - tr) / tr;
    }
    expect(errHpp).toBeLessThan(errH / 5);
  });

  it("rejects non-square operators and bad options", () => {
    expect(() => hutchinson(tensor(new Float64Array(6), [2, 3]))).toThrow(ShapeError);
    expect(() => hutchinsonDiagonal(tensor(new Float64Array(6), [2, 3]))).toThrow(ShapeError);
    expect(() => hutchPlusPlus(tensor(new Float64Array(4), [2, 2]), { numMatvecs: 2 })).toThrow(ValueError);
    expect(() => hutchinson(tensor(new Float64Array(4), [2, 2]), { distribution: "cauchy" as never })).toThrow(
      ValueError,
    );
  });
});

describe("stochastic Lanczos quadrature", () => {
  it("slqLogdet on the fixture SPD is within 2% of numpy slogdet", () => {
    const a = fromRows(fx.slogdet.a);
    const ld = slqLogdet(a, { numProbes: 60, lanczosSteps: 20, key: rng(7) });
    expect(Math.abs(ld - fx.slogdet.logdet)).toBeLessThan(0.02 * Math.abs(fx.slogdet.logdet));
  });

  it("slq weights sum to 1 and slqLogdet tracks a constructed spectrum", () => {
    fc.assert(
      fc.property(arbOrthogonal(10), fc.integer({ min: 0, max: 999 }), (q, seed) => {
        const d = Array.from({ length: 10 }, (_, i) => 0.5 + i * 0.3);
        const a = withSpectrum(q, d);
        const { weights } = slq(a, { numProbes: 5, lanczosSteps: 10, seed });
        expect(
          close(
            weights.data.reduce((s, w) => s + w, 0),
            1,
            { rtol: 1e-10 },
          ),
        ).toBe(true);
        // Full-length Lanczos on n = 10 integrates each probe exactly; what remains is the probe variance,
        // bounded for Rademacher probes by 2‖f(A)‖_F² / numProbes: allow 4 of those standard errors.
        const P = 60;
        const exact = d.reduce((s, v) => s + Math.log(v), 0);
        const sdLog = Math.sqrt((2 * d.reduce((s, v) => s + Math.log(v) ** 2, 0)) / P);
        const est = slqLogdet(a, { numProbes: P, lanczosSteps: 10, seed });
        expect(Math.abs(est - exact)).toBeLessThan(4 * sdLog);
        const tr = d.reduce((s, v) => s + v, 0);
        const sdTr = Math.sqrt((2 * d.reduce((s, v) => s + v * v, 0)) / P);
        const trEst = slqTrace(a, (x) => x, { numProbes: P, lanczosSteps: 10, seed });
        expect(Math.abs(trEst - tr)).toBeLessThan(4 * sdTr);
      }),
      { numRuns: 20, seed: 20261124 },
    );
  });

  it("rejects non-square operators and indefinite matrices for logdet", () => {
    expect(() => slq(tensor(new Float64Array(6), [2, 3]))).toThrow(ShapeError);
    expect(() => slqLogdet(tensor(Float64Array.from([1, 0, 0, -1]), [2, 2]), { lanczosSteps: 2 })).toThrow(ValueError);
  });
});
