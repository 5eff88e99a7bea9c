import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { potrf, potrfBlocked, potrfUnblocked } from "../src/dense/cholesky.js";
import { trsm } from "../src/dense/solve-triangular.js";
import { spd } from "./dense-helpers.js";

function maxDiff(x: Float64Array, y: Float64Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i]! - y[i]!));
  return e;
}

describe("blocked dense kernels", () => {
  it("blocked potrf matches the unblocked factor on sizes straddling the block size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 260 }), fc.integer({ min: 1, max: 1e9 }), (n, seed) => {
        const a = spd(n, seed);
        const l1 = new Float64Array(n * n);
        const l2 = new Float64Array(n * n);
        expect(potrf(a, l1, 0, n).pivot).toBe(-1);
        expect(potrfUnblocked(a, l2, 0, n, 0).pivot).toBe(-1);
        expect(maxDiff(l1, l2)).toBeLessThan(1e-12);
      }),
      { numRuns: 8 },
    );
  });

  it("recursive potrf matches the unblocked factor for random leaf sizes, offsets, jitter and a dirty output", () => {
    // Small leaves make the recursion (panel solves, syrk splits, odd halves) deep already at small n.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(0, 0.5),
        fc.integer({ min: 1, max: 1e9 }),
        (n, leaf, off, jitter, seed) => {
          const a = new Float64Array(off + n * n).fill(Number.NaN);
          a.set(spd(n, seed), off);
          // The output starts as garbage: the recursive factor must overwrite both triangles (upper = exact zeros).
          const l1 = new Float64Array(off + n * n).fill(7);
          const l2 = new Float64Array(off + n * n).fill(7);
          expect(potrfBlocked(a, l1, off, n, jitter, leaf).pivot).toBe(-1);
          expect(potrfUnblocked(a, l2, off, n, jitter).pivot).toBe(-1);
          for (let i = 0; i < off; i++) expect(l1[i]).toBe(7);
          let e = 0;
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++) expect(l1[off + i * n + j]).toBe(0);
            for (let j = 0; j <= i; j++) e = Math.max(e, Math.abs(l1[off + i * n + j]! - l2[off + i * n + j]!));
          }
          expect(e).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("recursive potrf reports the same failing pivot as the unblocked one, wherever it is", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 70 }), fc.nat(), fc.integer({ min: 1, max: 16 }), (n, at, leaf) => {
        const p = at % n;
        const a = spd(n, at + 1);
        a[p * n + p] = -1;
        const r = potrfBlocked(a, new Float64Array(n * n), 0, n, 0, leaf);
        const u = potrfUnblocked(a, new Float64Array(n * n), 0, n, 0);
        expect(r.pivot).toBe(u.pivot);
        expect(r.pivot).toBeLessThanOrEqual(p);
        expect(Math.abs(r.value - u.value)).toBeLessThan(1e-10 * (1 + Math.abs(u.value)));
      }),
      { numRuns: 40 },
    );
  });

  it("blocked potrf reports the failing pivot of an indefinite matrix", () => {
    const n = 200;
    const a = spd(n, 7);
    a[150 * n + 150] = -5;
    const r = potrf(a, new Float64Array(n * n), 0, n);
    const u = potrfUnblocked(a, new Float64Array(n * n), 0, n, 0);
    expect(r.pivot).toBe(150);
    expect(u.pivot).toBe(150);
    expect(Math.abs(r.value - u.value)).toBeLessThan(1e-10);
  });

  it("trsm with a vector right-hand side agrees with the matrix path, all four variants", () => {
    const n = 40;
    const a = spd(n, 3);
    const l = new Float64Array(n * n);
    potrf(a, l, 0, n);
    const u = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) u[i * n + j] = l[j * n + i]!;
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    for (const [t, lower] of [
      [l, true],
      [u, false],
    ] as const) {
      for (const trans of [false, true]) {
        const x1 = Float64Array.from(b);
        trsm(t, 0, n, x1, 0, 1, lower, trans, false);
        const x2 = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) x2[2 * i] = x2[2 * i + 1] = b[i]!;
        trsm(t, 0, n, x2, 0, 2, lower, trans, false);
        const col = Float64Array.from({ length: n }, (_, i) => x2[2 * i]!);
        expect(maxDiff(x1, col)).toBeLessThan(1e-12);
        // Residual check: op(t)·x = b.
        let e = 0;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += (trans ? t[k * n + i]! : t[i * n + k]!) * x1[k]!;
          e = Math.max(e, Math.abs(s - b[i]!));
        }
        expect(e).toBeLessThan(1e-10);
      }
    }
  });
});
