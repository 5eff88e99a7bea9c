import { eye, matmul, mT, mul, reshape, type Tensor, tensor } from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bdsdc } from "../src/dense/bidiagonal-dc.js";
import { gebrdBlocked } from "../src/dense/gebrd-blocked.js";
import { bidiagonalise, bidiagonalQr } from "../src/dense/golub-kahan-svd.js";
import { svd, svdvals } from "../src/dense/svd.js";
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

/** Singular values of (d, e) by implicit QR (relative accuracy), descending. */
function qrValues(d: Float64Array, e: Float64Array): Float64Array {
  const dq = d.slice();
  expect(bidiagonalQr(dq, e.slice(), d.length, null, 0, null, 0)).toBe(true);
  return Float64Array.from(dq, Math.abs).sort().reverse();
}

function expectOrthonormal(q: Float64Array, n: number, tol: number, label: string) {
  const Q = tensor(q, [n, n]);
  expectClose(matmul(mT(Q), Q), eye(n), { rtol: 0, atol: tol }, label);
}

/** B·v_c = σ_c·u_c and Bᵀ·u_c = σ_c·v_c to tol·max|B|, orthonormal U and V, σ descending ≥ 0 and = the QR values. */
function checkBdsdc(d: Float64Array, e: Float64Array, leaf?: number) {
  const n = d.length;
  const r = bdsdc(d, e, n, leaf);
  expect(r).not.toBeNull();
  const { s, ub, vb } = r!;
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(d[i]!), Math.abs(e[i] ?? 0));
  // Backward error of divide and conquer: a modest multiple of ε·‖B‖ (‖B‖ ≤ 2·max|B|) per entry.
  const tol = 1e-14 * (n + 4);
  expectOrthonormal(ub, n, tol, "UᵀU");
  expectOrthonormal(vb, n, tol, "VᵀV");
  for (let c = 0; c < n; c++) {
    expect(s[c]!).toBeGreaterThanOrEqual(0);
    if (c > 0) expect(s[c]!).toBeLessThanOrEqual(s[c - 1]!);
    for (let i = 0; i < n; i++) {
      const bv = d[i]! * vb[i * n + c]! + (i + 1 < n ? e[i]! * vb[(i + 1) * n + c]! : 0);
      const btu = d[i]! * ub[i * n + c]! + (i > 0 ? e[i - 1]! * ub[(i - 1) * n + c]! : 0);
      expect(Math.abs(bv - s[c]! * ub[i * n + c]!)).toBeLessThanOrEqual(tol * big);
      expect(Math.abs(btu - s[c]! * vb[i * n + c]!)).toBeLessThanOrEqual(tol * big);
    }
  }
  expectClose(tensor(s), tensor(qrValues(d, e)), { rtol: 0, atol: tol * big }, "σ vs QR");
  return r!;
}

type Kind = "random" | "zeroDiag" | "zeroOff" | "graded" | "cluster" | "repeated" | "zero" | "tinyCoupling";

/** Bidiagonals that exercise each deflation branch of the merges. */
function bidiagonal(kind: Kind, n: number, seed: number): [Float64Array, Float64Array] {
  const a = lcgMatrix(2, n, seed).data;
  const d = Float64Array.from({ length: n }, (_, i) => a[i]!);
  const e = Float64Array.from({ length: Math.max(0, n - 1) }, (_, i) => a[n + i]!);
  const pick = (i: number) => ((seed >>> 3) + 7 * i) % 5 === 0;
  switch (kind) {
    case "zeroDiag":
      for (let i = 0; i < n; i++) if (pick(i)) d[i] = 0;
      break;
    case "zeroOff":
      for (let i = 0; i < n - 1; i++) if (pick(i)) e[i] = 0;
      break;
    case "graded":
      // Values over ~30 decades, both directions of grading.
      for (let i = 0; i < n; i++) d[i]! *= 10 ** (-(seed % 2 ? i : n - 1 - i) * (30 / Math.max(1, n)));
      for (let i = 0; i < n - 1; i++) e[i]! *= 10 ** (-(seed % 2 ? i : n - 2 - i) * (30 / Math.max(1, n)));
      break;
    case "cluster":
      // σ within ~1e-12 of 1: close-value deflation by rotations.
      for (let i = 0; i < n; i++) d[i] = 1 + 1e-13 * a[i]!;
      for (let i = 0; i < n - 1; i++) e[i] = 1e-12 * a[n + i]!;
      break;
    case "repeated":
      d.fill(2);
      e.fill(0);
      if (n > 2) e[n >> 1] = 0.5;
      break;
    case "zero":
      d.fill(0);
      e.fill(0);
      break;
    case "tinyCoupling":
      // z components below the deflation tolerance.
      for (let i = 0; i < n - 1; i++) if (pick(i)) e[i] = 1e-18 * a[n + i]!;
      break;
  }
  return [d, e];
}

const kinds: Kind[] = ["random", "zeroDiag", "zeroOff", "graded", "cluster", "repeated", "zero", "tinyCoupling"];

describe("bidiagonal divide and conquer (bdsdc)", () => {
  it("B·v = σ·u, Bᵀ·u = σ·v, UᵀU = VᵀV = I, σ = the QR values: random, zero, graded, clustered and deflating bidiagonals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom(...kinds),
        fc.nat(),
        (n, leaf, kind, seed) => {
          const [d, e] = bidiagonal(kind, n, seed);
          checkBdsdc(d, e, leaf);
        },
      ),
      { numRuns: 80 },
    );
  });
  it("n = 1, 2 and orders around the QR leaf size (default leaf)", () => {
    for (const n of [1, 2, 3, 24, 25, 26, 27, 51, 52, 53]) {
      for (const kind of kinds) {
        const [d, e] = bidiagonal(kind, n, 1000 + n);
        checkBdsdc(d, e);
      }
    }
  });
  it("agrees with QR's singular vectors (up to sign) when the singular values are well separated", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 5 }), fc.nat(), (n, leaf, seed) => {
        const a = lcgMatrix(2, n, seed).data;
        // d_i = i + 1 + small noise: gaps ≥ ~0.5, so each vector is determined to ~ε/gap.
        const d = Float64Array.from({ length: n }, (_, i) => i + 1 + 0.2 * a[i]!);
        const e = Float64Array.from({ length: n - 1 }, (_, i) => 0.2 * a[n + i]!);
        const r = checkBdsdc(d, e, leaf);
        const dq = d.slice();
        const vt = eye(n).data.slice() as Float64Array;
        const ut = eye(n).data.slice() as Float64Array;
        expect(bidiagonalQr(dq, e.slice(), n, vt, n, ut, n)).toBe(true);
        for (let c = 0; c < n; c++) {
          // The QR vector whose |σ| matches σ_c.
          let j = 0;
          for (let t = 1; t < n; t++)
            if (Math.abs(Math.abs(dq[t]!) - r.s[c]!) < Math.abs(Math.abs(dq[j]!) - r.s[c]!)) j = t;
          let dot = 0;
          for (let i = 0; i < n; i++) dot += ut[j * n + i]! * r.ub[i * n + c]!;
          expect(Math.abs(Math.abs(dot) - 1)).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 30 },
    );
  });
  it("a matrix with a zero row block of order > leaf: σ = 0 (to ε·‖B‖, D&C's absolute accuracy), orthonormal vectors", () => {
    const n = 40;
    const d = new Float64Array(n);
    const e = new Float64Array(n - 1);
    for (let i = 0; i < 10; i++) {
      d[i] = 1 + i;
      e[i] = 0.5;
    }
    const r = checkBdsdc(d, e, 3);
    for (let c = 10; c < n; c++) expect(r.s[c]!).toBeLessThanOrEqual(1e-14 * n * 10);
    for (let c = 0; c < 10; c++) expect(r.s[c]!).toBeGreaterThan(0.1);
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
