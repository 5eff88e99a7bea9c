import { tensor } from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gebrdBlocked } from "../src/dense/gebrd-blocked.js";
import { matVec } from "../src/dense/gemv-wasm.js";
import { sytrd } from "../src/dense/sytrd-blocked.js";

/** Values from a small LCG in (−0.5, 0.5). */
function lcg(len: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  return Float64Array.from({ length: len }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

describe("matrix–vector kernels of the Householder reductions (gemv-wasm)", () => {
  it("Node has WebAssembly SIMD: the default kernels are the wasm ones", () => {
    expect(matVec(1024).backend).toBe("wasm");
    expect(matVec(1024, "js").backend).toBe("js");
  });
  it("wasm gemv and gemvT equal the JS loops (odd/even lengths, any row range, column start and offsets)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 1, max: 23 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (rows, n, a, b, c, seed) => {
          const r0 = a % rows;
          const r1 = r0 + (b % (rows - r0 + 1));
          const c0 = c % (n + 1);
          const xo = seed % 3;
          const A = lcg(rows * n, seed);
          const xs = lcg(Math.max(rows, n) + xo, seed + 1);
          const y0 = lcg(Math.max(rows, n) + 2, seed + 2);
          const wasm = matVec(8 * (rows * n + 2 * (rows + n + 8)), "wasm");
          const js = matVec(0, "js");
          for (const op of ["gemv", "gemvT"] as const) {
            const [Aw, xw, yw] = wasm.alloc([A.length, xs.length, y0.length]) as [
              Float64Array,
              Float64Array,
              Float64Array,
            ];
            Aw.set(A);
            xw.set(xs);
            yw.set(y0);
            const yj = y0.slice();
            wasm[op](Aw, n, r0, r1, c0, xw, xo, yw, 1);
            js[op](A, n, r0, r1, c0, xs, xo, yj, 1);
            // Lane-split sums round differently from the sequential ones: ‖·‖ ≤ n·ε·Σ|terms| ≤ 1e-14 here.
            expectClose(tensor(yw.slice()), tensor(yj), { rtol: 0, atol: 1e-14 * (rows + n) }, op);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
  it("gebrd and sytrd give the same reduction with either kernel", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 9 }), fc.nat(), (n, extra, seed) => {
        const m = n + extra;
        const a = lcg(m * n, seed);
        const out = (["wasm", "js"] as const).map((k) => {
          const w = a.slice();
          const r = [0, 1, 2, 3].map(() => new Float64Array(n));
          gebrdBlocked(w, m, n, r[0]!, r[1]!, r[2]!, r[3]!, 4, k);
          return [w, ...r];
        });
        // Both are backward stable with error ∝ ε·‖A‖; the orders of summation differ, so they agree to a multiple
        // of that (as gebrd and the unblocked reduction do in dense-svd-dc.test.ts).
        let fro = 0;
        for (const x of a) fro += x * x;
        const tol = 1e-13 * (m + n) * Math.max(1, Math.sqrt(fro));
        for (let t = 0; t < 5; t++) {
          expectClose(tensor(out[0]![t]!), tensor(out[1]![t]!), { rtol: 0, atol: tol }, `gebrd ${t}`);
        }
        const s = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = a[i * n + j]! + a[j * n + i]!;
        const tw = sytrd(s, n, 4, "wasm");
        const tj = sytrd(s, n, 4, "js");
        for (const key of ["d", "e", "v", "tau"] as const) {
          expectClose(tensor(tw[key]), tensor(tj[key]), { rtol: 0, atol: 2 * tol }, `sytrd ${key}`);
        }
      }),
      { numRuns: 40 },
    );
  });
});
