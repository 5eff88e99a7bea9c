import { eye, matmul, mT, mul, reshape, type Tensor, tensor } from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tgkSvd } from "../src/dense/bidiagonal-tgk-svd.js";
import { gebrdBlocked } from "../src/dense/gebrd-blocked.js";
import { bidiagonalise, bidiagonalQr } from "../src/dense/golub-kahan-svd.js";
import { svd, svdvals } from "../src/dense/svd.js";
import { stedc, stedcTop } from "../src/dense/tridiagonal-dc.js";
import fx from "./fixtures/linalg-large.json";

const T = (x: unknown) => tensor(x as number[][]);

/** m×n matrix from a small LCG: cheap at sizes where per-entry arbitraries are slow. */
function lcgMatrix(m: number, n: number, seed: number): Tensor {
  let s = seed >>> 0 || 1;
  const d = Float64Array.from({ length: m * n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
  return tensor(d, [m, n]);
}

const arbBidiag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n - 1, maxLength: n - 1 }),
    ),
  );

function expectOrthonormal(q: Float64Array, n: number, tol: number, label: string) {
  const Q = tensor(q, [n, n]);
  expectClose(matmul(mT(Q), Q), eye(n), { rtol: 0, atol: tol }, label);
}

describe("bidiagonal SVD through the Golub–Kahan tridiagonal (tgkSvd)", () => {
  it("when it accepts: B·v = σ·u, UᵀU = VᵀV = I, σ descending = the QR singular values", () => {
    fc.assert(
      fc.property(arbBidiag, ([d, e]) => {
        const n = d.length;
        const r = tgkSvd(Float64Array.from(d), Float64Array.from(e), n);
        // Bidiagonals with a tiny σ may be declined; well-separated ones below are always accepted.
        if (!r) return;
        const tol = 1e-14 * (n + 4);
        expectOrthonormal(r.ub, n, tol, "UᵀU");
        expectOrthonormal(r.vb, n, tol, "VᵀV");
        const smax = r.s[0]!;
        for (let c = 0; c < n; c++) {
          if (c > 0) expect(r.s[c]!).toBeLessThanOrEqual(r.s[c - 1]!);
          for (let i = 0; i < n; i++) {
            const bv = d[i]! * r.vb[i * n + c]! + (i + 1 < n ? e[i]! * r.vb[(i + 1) * n + c]! : 0);
            expect(Math.abs(bv - r.s[c]! * r.ub[i * n + c]!)).toBeLessThanOrEqual(tol * smax);
          }
        }
        const dq = Float64Array.from(d);
        expect(bidiagonalQr(dq, Float64Array.from(e), n, null, 0, null, 0)).toBe(true);
        const sq = Float64Array.from(dq, Math.abs).sort().reverse();
        expectClose(tensor(r.s), tensor(sq), { rtol: 0, atol: tol * smax }, "σ vs QR");
      }),
      { numRuns: 60 },
    );
  });
  it("accepts bidiagonals with well-separated singular values and declines an exactly singular one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), (n, seed) => {
        const a = lcgMatrix(2, n, seed).data;
        const d = Float64Array.from({ length: n }, (_, i) => 2 + a[i]!);
        const e = Float64Array.from({ length: Math.max(0, n - 1) }, (_, i) => a[n + i]!);
        expect(tgkSvd(d, e, n)).not.toBeNull();
      }),
      { numRuns: 20 },
    );
    expect(tgkSvd(Float64Array.of(1, 0, 2), Float64Array.of(0.5, 0.5), 3)).toBeNull();
  });
  it("stedcTop forms exactly the last `keep` eigenvector columns of stedc", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (n, leaf, seed) => {
        const a = lcgMatrix(2, n, seed).data;
        const keep = 1 + (seed % n);
        const d1 = a.slice(0, n);
        const e1 = a.slice(n, 2 * n);
        const d2 = d1.slice();
        const full = stedc(d1, e1.slice(), n, leaf);
        const top = stedcTop(d2, e1.slice(), n, keep, leaf);
        expectClose(tensor(d2), tensor(d1), { rtol: 0, atol: 0 }, "values");
        const tail = new Float64Array(n * keep);
        for (let i = 0; i < n; i++) tail.set(full.subarray(i * n + n - keep, i * n + n), i * keep);
        expectClose(tensor(top, [n, keep]), tensor(tail, [n, keep]), { rtol: 0, atol: 1e-14 }, "columns");
      }),
      { numRuns: 30 },
    );
  });
});

describe("blocked bidiagonalisation (gebrd)", () => {
  it("agrees with the unblocked reduction (d, e, τ and the stored reflectors) for panels of 1–5 and 1×1", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (n, extra, nb, seed) => {
          const m = n + extra;
          const a = lcgMatrix(m, n, seed).data;
          const w1 = a.slice();
          const w2 = a.slice();
          const r1 = [0, 1, 2, 3].map(() => new Float64Array(n));
          const r2 = [0, 1, 2, 3].map(() => new Float64Array(n));
          bidiagonalise(w1, m, n, r1[0]!, r1[1]!, r1[2]!, r1[3]!);
          gebrdBlocked(w2, m, n, r2[0]!, r2[1]!, r2[2]!, r2[3]!, nb);
          // Householder reductions are backward stable with error ∝ ε·‖A‖, so the two orders of operations agree to
          // a multiple of that (an absolute 1e-13·(m + n) without ‖A‖ failed at HEAD for FC_SEED=424242: 35×52,
          // |diff| 1.5e-11 on d ≈ 1.8, where ‖A‖_F ≈ 12).
          let fro = 0;
          for (const x of a) fro += x * x;
          const tol = 1e-13 * (m + n) * Math.max(1, Math.sqrt(fro));
          for (let t = 0; t < 4; t++)
            expectClose(tensor(r2[t]!), tensor(r1[t]!), { rtol: 0, atol: tol }, `d/e/τq/τp ${t}`);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              if (i > j || j > i + 1) expect(Math.abs(w2[i * n + j]! - w1[i * n + j]!)).toBeLessThanOrEqual(tol);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("svd above the divide-and-conquer cut-off", () => {
  it("orthonormal U, V; A = UΣVᵀ; s = svdvals, for tall, wide, square, low-rank and fullMatrices", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 48, max: 90 }),
        fc.integer({ min: 48, max: 90 }),
        fc.constantFrom<"random" | "lowRank" | "full">("random", "random", "lowRank", "full"),
        fc.nat(),
        (m, n, kind, seed) => {
          const a =
            kind === "lowRank" ? matmul(lcgMatrix(m, 5, seed), lcgMatrix(5, n, seed + 1)) : lcgMatrix(m, n, seed);
          const k = Math.min(m, n);
          const full = kind === "full";
          const { u, s, vt } = svd(a, { fullMatrices: full });
          const tol = 1e-13 * Math.max(m, n);
          expect(u.shape).toEqual([m, full ? m : k]);
          expect(vt.shape).toEqual([full ? n : k, n]);
          expectClose(matmul(mT(u), u), eye(u.shape[1]!), { rtol: 0, atol: tol }, "UᵀU");
          expectClose(matmul(vt, mT(vt)), eye(vt.shape[0]!), { rtol: 0, atol: tol }, "VᵀV");
          const uk = full ? matmul(u, eyeCols(m, k)) : u;
          const vk = full ? matmul(eyeCols(n, k, true), vt) : vt;
          expectClose(matmul(mul(uk, reshape(s, [1, k])), vk), a, { rtol: 0, atol: tol }, "UΣVᵀ");
          expectClose(svdvals(a), s, { rtol: 0, atol: tol }, "svdvals");
        },
      ),
      { numRuns: 8 },
    );
  });
  it("matches numpy.linalg.svd on a random 64×56 (s and sign-normalised U, Vᵀ)", () => {
    const r = svd(T(fx.svdTall.a));
    expectClose(r.s, T(fx.svdTall.s), { rtol: 1e-11, atol: 1e-12 }, "s");
    expectClose(r.u, T(fx.svdTall.u), { rtol: 1e-9, atol: 1e-10 }, "U");
    expectClose(r.vt, T(fx.svdTall.vt), { rtol: 1e-9, atol: 1e-10 }, "Vᵀ");
  });
});

/** The first k columns of I_m (m×k), or with `rows` the first k rows of I_n (k×n). */
function eyeCols(m: number, k: number, rows = false): Tensor {
  const d = new Float64Array(m * k);
  for (let i = 0; i < k; i++) d[rows ? i * m + i : i * k + i] = 1;
  return tensor(d, rows ? [k, m] : [m, k]);
}
