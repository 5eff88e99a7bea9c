import { eye, matmul, tensor } from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getrfBlocked } from "../src/dense/getrf-blocked.js";
import { getrfPanel } from "../src/dense/getrf-panel.js";
import { getrfPanelRecursive, trsmUnitLower } from "../src/dense/getrf-recursive.js";
import { inv } from "../src/dense/inv.js";
import { getrf, getrfUnblocked } from "../src/dense/lu.js";
import { solve } from "../src/dense/solve.js";
import { trsm } from "../src/dense/solve-triangular.js";
import { lcg, luResidual } from "./dense-helpers.js";

const maxAbs = (x: Float64Array) => x.reduce((p, v) => Math.max(p, Math.abs(v)), 0);

/** Column-by-column LU with a separate pivot search per column (the textbook loop, Golub & Van Loan Alg. 3.4.1). */
function getrfNaive(a: Float64Array, m: number, n: number, piv: Int32Array): number {
  let info = -1;
  for (let k = 0; k < Math.min(m, n); k++) {
    let p = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(a[i * n + k]!) > Math.abs(a[p * n + k]!)) p = i;
    piv[k] = p;
    for (let j = 0; j < n; j++) {
      const t = a[k * n + j]!;
      a[k * n + j] = a[p * n + j]!;
      a[p * n + j] = t;
    }
    const akk = a[k * n + k]!;
    if (akk === 0) {
      if (info < 0) info = k;
      continue;
    }
    for (let i = k + 1; i < m; i++) {
      const l = a[i * n + k]! / akk;
      a[i * n + k] = l;
      if (l !== 0) for (let j = k + 1; j < n; j++) a[i * n + j]! -= l * a[k * n + j]!;
    }
  }
  return info;
}

describe("column-by-column panel (getrfPanel)", () => {
  it("picks the pivots of a separate search per column, first row on ties, with zero columns and repeated values", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.boolean(),
        (m, n, seed, ties) => {
          // ties: entries in {−1, 0, 1} (many equal candidates and exact zero pivots); else continuous values.
          const a = lcg(m * n, seed).map((v) => (ties ? Math.round(2 * v) : v));
          const a1 = Float64Array.from(a);
          const a2 = Float64Array.from(a);
          const k = Math.min(m, n);
          const p1 = new Int32Array(k);
          const p2 = new Int32Array(k);
          const r = getrfPanel(a1, 0, m, n, 0, k, n, p1, 0);
          const info = getrfNaive(a2, m, n, p2);
          expect(Array.from(p1)).toEqual(Array.from(p2));
          expect(r.info).toBe(info);
          let e = 0;
          for (let i = 0; i < a1.length; i++) e = Math.max(e, Math.abs(a1[i]! - a2[i]!));
          expect(e).toBeLessThanOrEqual(1e-12);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("recursive LU panel (getrfPanelRecursive) and unit-lower solve (trsmUnitLower)", () => {
  it("factors a column range exactly like the column-by-column panel: same pivots, sign, zero pivot and entries", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.boolean(),
        (m, n, leaf, at, seed, zeroCol) => {
          const kmax = Math.min(m, n);
          const k0 = at % kmax;
          const k1 = k0 + 1 + ((at >> 7) % (kmax - k0));
          const off = at % 3;
          const a = new Float64Array(off + m * n);
          a.set(lcg(m * n, seed), off);
          if (zeroCol) for (let i = 0; i < m; i++) a[off + i * n + k1 - 1] = 0;
          const a1 = Float64Array.from(a);
          const a2 = Float64Array.from(a);
          const p1 = new Int32Array(n).fill(-7);
          const p2 = new Int32Array(n).fill(-7);
          const r1 = getrfPanelRecursive(a1, off, m, n, k0, k1, p1, 0, leaf);
          const r2 = getrfPanel(a2, off, m, n, k0, k1, k1, p2, 0);
          expect(r1.sign).toBe(r2.sign);
          expect(r1.info).toBe(r2.info);
          expect(Array.from(p1)).toEqual(Array.from(p2));
          let e = 0;
          for (let i = 0; i < a1.length; i++) e = Math.max(e, Math.abs(a1[i]! - a2[i]!));
          expect(e).toBeLessThan(1e-12 * Math.max(1, k1 - k0));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("trsmUnitLower solves L·X = B in place on blocks of one buffer (random sizes, leaves, offsets)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (h, w, leaf, seed) => {
          const ld = h + w + 3;
          const d0 = 1;
          const c0 = h + 2;
          const a = lcg(2 + (d0 + h) * ld, seed);
          const before = Float64Array.from(a);
          trsmUnitLower(a, 2, ld, d0, h, c0, w, leaf);
          // Residual L·X − B with L unit lower from a[d0.., d0..], X the result, B the original block.
          let e = 0;
          let xmax = 0;
          for (let i = 0; i < h; i++) {
            for (let j = 0; j < w; j++) {
              let s = a[2 + (d0 + i) * ld + c0 + j]!;
              xmax = Math.max(xmax, Math.abs(s));
              for (let r = 0; r < i; r++) s += a[2 + (d0 + i) * ld + d0 + r]! * a[2 + (d0 + r) * ld + c0 + j]!;
              e = Math.max(e, Math.abs(s - before[2 + (d0 + i) * ld + c0 + j]!));
            }
          }
          // Backward-stable substitution: |L·X − B| ≲ h·ε·|L|·|X|.
          expect(e).toBeLessThan(1e-13 * h * (1 + xmax));
          // Nothing outside the B block moved.
          let moved = 0;
          for (let i = 0; i < a.length; i++) {
            const r = Math.floor((i - 2) / ld) - d0;
            const c = (i - 2) % ld;
            if (!(i >= 2 && r >= 0 && r < h && c >= c0 && c < c0 + w) && a[i] !== before[i]) moved++;
          }
          expect(moved).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("blocked LU (getrfBlocked)", () => {
  it("P·A = L·U with |l_ij| ≤ 1 for square and rectangular sizes straddling the block size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (m, n, nb, seed) => {
          const a = lcg(m * n, seed);
          const lu = Float64Array.from(a);
          const piv = new Int32Array(Math.min(m, n));
          const r = getrfBlocked(lu, 0, m, n, piv, 0, nb);
          expect(r.info).toBe(-1);
          expect(luResidual(a, lu, piv, m, n)).toBeLessThan(1e-13 * Math.max(m, n) * 4);
          for (let i = 0; i < m; i++)
            for (let j = 0; j < Math.min(i, n); j++) expect(Math.abs(lu[i * n + j]!)).toBeLessThanOrEqual(1);
          let sign = 1;
          for (let i = 0; i < piv.length; i++) {
            expect(piv[i]!).toBeGreaterThanOrEqual(i);
            expect(piv[i]!).toBeLessThan(m);
            if (piv[i] !== i) sign = -sign;
          }
          expect(r.sign).toBe(sign);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reports the same first zero pivot as the unblocked getrf (exactly zero column)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 160 }), fc.integer({ min: 1, max: 2 ** 31 }), (n, seed) => {
        const a = lcg(n * n, seed);
        const z = seed % n;
        for (let i = 0; i < n; i++) a[i * n + z] = 0;
        const l1 = Float64Array.from(a);
        const l2 = Float64Array.from(a);
        const p1 = new Int32Array(n);
        const p2 = new Int32Array(n);
        expect(getrfBlocked(l1, 0, n, n, p1, 0, 7).info).toBe(z);
        expect(getrfUnblocked(l2, 0, n, n, p2, 0).info).toBe(z);
        expect(getrf(Float64Array.from(a), 0, n, n, new Int32Array(n), 0).info).toBe(z);
      }),
      { numRuns: 20 },
    );
  });

  it("agrees with the unblocked factorisation on fixed 150×150 and 200×130 matrices (default block)", () => {
    for (const [m, n, seed] of [
      [150, 150, 3],
      [200, 130, 9],
      [130, 200, 4],
    ] as const) {
      const a = lcg(m * n, seed);
      const l1 = Float64Array.from(a);
      const l2 = Float64Array.from(a);
      const k = Math.min(m, n);
      const p1 = new Int32Array(k);
      const p2 = new Int32Array(k);
      getrfBlocked(l1, 0, m, n, p1, 0);
      getrfUnblocked(l2, 0, m, n, p2, 0);
      expect(Array.from(p1)).toEqual(Array.from(p2));
      let e = 0;
      for (let i = 0; i < l1.length; i++) e = Math.max(e, Math.abs(l1[i]! - l2[i]!));
      expect(e).toBeLessThan(1e-10 * maxAbs(l2));
    }
  });
});

describe("blocked triangular solve (trsm with a small block)", () => {
  it("matches the unblocked trsm for all four variants, unit or not", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (n, k, nb, seed, lower, trans, unit) => {
          // Diagonally dominant triangle: well conditioned, so both orders of summation agree closely.
          const t = lcg(n * n, seed);
          for (let i = 0; i < n; i++) t[i * n + i] = (t[i * n + i]! < 0 ? -1 : 1) * (n + 1);
          if (unit) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[i * n + j]! /= n + 1;
          const b = lcg(n * k, seed + 7);
          const x1 = Float64Array.from(b);
          const x2 = Float64Array.from(b);
          trsm(t, 0, n, x1, 0, k, lower, trans, unit);
          trsm(t, 0, n, x2, 0, k, lower, trans, unit, nb);
          let e = 0;
          for (let i = 0; i < x1.length; i++) e = Math.max(e, Math.abs(x1[i]! - x2[i]!));
          expect(e).toBeLessThan(1e-12 * Math.max(1, maxAbs(x1)));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("public solvers on the blocked paths (n ≥ 128, many right-hand sides)", () => {
  it("solve and inv of a 150×150 matrix: small residuals", () => {
    const n = 150;
    const a = lcg(n * n, 21);
    for (let i = 0; i < n; i++) a[i * n + i]! += 4;
    const A = tensor(a, [n, n]);
    const B = tensor(lcg(n * 20, 22), [n, 20]);
    const X = solve(A, B);
    expectClose(matmul(A, X), B, { rtol: 0, atol: 1e-11 }, "A·X − B");
    expectClose(matmul(A, inv(A)), eye(n), { rtol: 0, atol: 1e-11 }, "A·A⁻¹ − I");
  });
});
