import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cholesky, choleskySolve, potrfBlocked, potrfUnblocked } from "../src/dense/cholesky.js";
import { getrfBlocked } from "../src/dense/getrf-blocked.js";
import { solve } from "../src/dense/solve.js";
import { NotPositiveDefiniteError, SingularMatrixError } from "../src/errors.js";
import { blockGemm, workArea } from "../src/internal/block-gemm.js";
import { lcg, luResidual, spd } from "./dense-helpers.js";

const toRows = (d: Float64Array, n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from(d.subarray(i * n, (i + 1) * n)));

const hasWasm = workArea(1) !== null;

describe("blockGemm (in-place C += alpha·op(A)·op(B) on blocks of one array)", () => {
  it("WebAssembly SIMD is available here (so the properties below test the wasm path)", () => {
    expect(hasWasm).toBe(true);
  });

  it("matches a naive product for every transpose, strides, offsets and edge tiles, and writes nothing outside C", () => {
    // Sizes cross the 4×4 tile edges and the module's MC = 128 / KC = 256 blocking; gaps between rows are guards.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 140 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(1, -1, 0.375),
        fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (m, k, n, ta, tb, alpha, [pa, pb, pc], wasm, seed) => {
          const lda = (ta ? m : k) + pa;
          const ldb = (tb ? k : n) + pb;
          const ldc = n + pc;
          const aOff = 2;
          const bOff = aOff + (ta ? k : m) * lda + 1;
          const cOff = bOff + (tb ? n : k) * ldb + 3;
          const size = cOff + m * ldc + 2;
          const init = lcg(size, seed);
          const w = (wasm ? workArea(size) : null) ?? new Float64Array(size);
          w.set(init);
          blockGemm(w, m, k, n, {
            alpha,
            transA: ta,
            transB: tb,
            aOffset: aOff,
            lda,
            bOffset: bOff,
            ldb,
            outOffset: cOff,
            ldOut: ldc,
          });
          const want = Float64Array.from(init);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < k; p++) {
                const x = ta ? init[aOff + p * lda + i]! : init[aOff + i * lda + p]!;
                const y = tb ? init[bOff + j * ldb + p]! : init[bOff + p * ldb + j]!;
                s += x * y;
              }
              want[cOff + i * ldc + j]! += alpha * s;
            }
          }
          // Entries are O(1), sums of k products: 1e-15·k bounds the rounding; everything else must be untouched.
          let e = 0;
          for (let i = 0; i < size; i++) e = Math.max(e, Math.abs(w[i]! - want[i]!));
          expect(e).toBeLessThanOrEqual(1e-14 * k);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("factorizations in the wasm work area and in a JS array (reference path)", () => {
  it("recursive potrf: both paths match the unblocked factor (sizes around the leaf and block boundaries)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3, 4, 47, 48, 49, 95, 96, 97, 159, 160, 161, 200),
        fc.integer({ min: 2, max: 64 }),
        fc.nat(3),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (n, leaf, off, seed) => {
          const a = new Float64Array(off + n * n).fill(Number.NaN);
          a.set(spd(n, seed), off);
          const ref = new Float64Array(off + n * n);
          expect(potrfUnblocked(a, ref, off, n, 0).pivot).toBe(-1);
          for (const wasm of [true, false]) {
            const l = new Float64Array(off + n * n).fill(7);
            expect(potrfBlocked(a, l, off, n, 0, leaf, wasm).pivot).toBe(-1);
            let e = 0;
            for (let i = off; i < l.length; i++) e = Math.max(e, Math.abs(l[i]! - ref[i]!));
            expect(e).toBeLessThan(1e-12);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("recursive potrf: both paths report the failing pivot of the unblocked one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (n, leaf, seed) => {
          const a = spd(n, seed);
          // Subtracting more than the pivot's Schur complement (≤ a_pp) from a_pp makes pivot p fail, not earlier.
          const p = seed % n;
          a[p * n + p]! -= a[p * n + p]! + 1;
          const u = potrfUnblocked(a, new Float64Array(n * n), 0, n, 0);
          expect(u.pivot).toBe(p);
          for (const wasm of [true, false]) {
            const r = potrfBlocked(a, new Float64Array(n * n), 0, n, 0, leaf, wasm);
            expect(r.pivot).toBe(p);
            expect(Math.abs(r.value - u.value)).toBeLessThan(1e-9 * (1 + Math.abs(u.value)));
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("blocked getrf: P·A = L·U on both paths, at an offset, for random block sizes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 140 }),
        fc.integer({ min: 1, max: 70 }),
        fc.nat(3),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (n, nb, off, wasm, seed) => {
          const a = lcg(n * n, seed);
          const buf = new Float64Array(off + n * n).fill(Number.NaN);
          buf.set(a, off);
          const piv = new Int32Array(n);
          expect(getrfBlocked(buf, off, n, n, piv, 0, nb, wasm).info).toBe(-1);
          for (let i = 0; i < off; i++) expect(buf[i]).toBeNaN();
          expect(luResidual(a, buf.subarray(off), piv, n, n)).toBeLessThan(1e-13 * n * 4);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("blocked getrf: both paths find the first exactly-zero pivot (zero column)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 150 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (n, wasm, seed) => {
          const a = lcg(n * n, seed);
          const z = seed % n;
          for (let i = 0; i < n; i++) a[i * n + z] = 0;
          expect(getrfBlocked(a, 0, n, n, new Int32Array(n), 0, 16, wasm).info).toBe(z);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe("public solvers on the blocked paths (n ≥ 160)", () => {
  it("cholesky + choleskySolve and solve have small residuals at n = 200", () => {
    const n = 200;
    const a = spd(n, 11);
    const b = lcg(n, 12);
    const rows = toRows(a, n);
    for (const x of [choleskySolve(cholesky(rows).l, Array.from(b)).data, solve(rows, Array.from(b)).data]) {
      let e = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
        e = Math.max(e, Math.abs(s - b[i]!));
      }
      expect(e).toBeLessThan(1e-12);
    }
  });

  it("non-SPD input names the failing pivot; a zero column is a SingularMatrixError at that index", () => {
    const n = 200;
    const a = spd(n, 5);
    a[170 * n + 170]! -= a[170 * n + 170]! + 1;
    const rows = (d: Float64Array) => toRows(d, n);
    let err: unknown;
    try {
      cholesky(rows(a));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotPositiveDefiniteError);
    expect((err as NotPositiveDefiniteError).pivotIndex).toBe(170);
    const g = lcg(n * n, 6);
    for (let i = 0; i < n; i++) g[i * n + 150] = 0;
    err = undefined;
    try {
      solve(rows(g), new Array(n).fill(1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SingularMatrixError);
    expect((err as SingularMatrixError).index).toBe(150);
  });

  it("non-finite entries are still reported with their flat index", () => {
    const n = 170;
    const a = spd(n, 8);
    a[3 * n + 160] = Number.POSITIVE_INFINITY;
    const rows = toRows(a, n);
    expect(() => cholesky(rows)).toThrow(`cholesky: a must be finite, found Infinity at flat index ${3 * n + 160}`);
    expect(() => solve(rows, new Array(n).fill(1))).toThrow(/solve: a must be finite, found Infinity/);
    // +∞ on the diagonal lets the factorization succeed (l_ii = ∞), so the check cannot rely on a failing pivot;
    // both the blocked (n ≥ 160) and the unblocked path, and a later matrix of a batch, must still be caught.
    for (const m of [5, 170]) {
      const d = spd(m, 9);
      d[2 * m + 2] = Number.POSITIVE_INFINITY;
      expect(() => cholesky(toRows(d, m))).toThrow(
        `cholesky: a must be finite, found Infinity at flat index ${2 * m + 2}`,
      );
      expect(() => cholesky(toRows(d, m), { jitter: "auto" })).toThrow(/cholesky: a must be finite/);
      const e = spd(m, 10);
      const batch = [toRows(e, m), toRows(e, m)];
      batch[1]![m - 1]![0] = Number.NaN;
      expect(() => cholesky(batch)).toThrow(
        `cholesky: a must be finite, found NaN at flat index ${m * m + (m - 1) * m}`,
      );
    }
    const bad = cholesky(toRows(spd(4, 1), 4)).l.toArray() as number[][];
    bad[2]![1] = Number.NaN;
    expect(() => choleskySolve(bad, [1, 2, 3, 4])).toThrow(
      "choleskySolve: l must be finite, found NaN at flat index 9",
    );
  });
});
