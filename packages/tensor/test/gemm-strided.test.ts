// The in-place GEMM update out = beta·out + alpha·op(a)·op(b) on strided views (gemmF64 with options, its wasm
// and JS kernels) against a naive loop: random shapes, transposes, offsets, leading dimensions and scalars; the
// elements of the buffers outside the addressed views must stay untouched.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gemmStridedJs } from "../src/backends/cpu/matmul-dispatch.js";
import { type GemmStridedArgs, gemmStridedWasm } from "../src/backends/cpu/matmul-wasm.js";
import { ShapeError } from "../src/errors.js";
import { gemmF64 } from "../src/index.js";

const GUARD = -9876.5;

function filled(len: number, seed: number): Float64Array {
  const x = new Float64Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    x[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return x;
}

interface Case {
  g: GemmStridedArgs;
  want: Float64Array;
}

/** Builds a random problem (operands embedded in larger GUARD-filled buffers) and its naive answer. */
function makeCase(
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  pads: [number, number, number, number, number, number],
  alpha: number,
  beta: number,
  seed: number,
): Case {
  const [aOff, bOff, cOff, padA, padB, padC] = pads;
  const lda = (transA ? m : k) + padA;
  const ldb = (transB ? k : n) + padB;
  const ldc = n + padC;
  const a = filled(aOff + lda * (transA ? k : m) + 2, seed);
  const b = filled(bOff + ldb * (transB ? n : k) + 2, seed ^ 0x5bd1e995);
  const c = filled(cOff + ldc * m + 2, ~seed);
  // Everything outside the view of c is a guard value; beta = 0 must not read the view (NaN there).
  const inView = (i: number) => i >= cOff && (i - cOff) % ldc < n && i < cOff + ldc * m;
  for (let i = 0; i < c.length; i++) if (!inView(i)) c[i] = GUARD;
  if (beta === 0) for (let i = 0; i < c.length; i++) if (inView(i)) c[i] = Number.NaN;
  const want = Float64Array.from(c);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[aOff + p * lda + i]! : a[aOff + i * lda + p]!;
        const y = transB ? b[bOff + j * ldb + p]! : b[bOff + p * ldb + j]!;
        s += x * y;
      }
      const q = cOff + i * ldc + j;
      want[q] = (beta === 0 ? 0 : beta * c[q]!) + alpha * s;
    }
  }
  return { g: { m, n, k, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc }, want };
}

function mismatch(got: Float64Array, want: Float64Array, k: number): number {
  for (let i = 0; i < want.length; i++) {
    const x = got[i]!;
    const y = want[i]!;
    if (y === GUARD ? x !== GUARD : !(Math.abs(x - y) <= 1e-12 * (1 + Math.abs(y)) * Math.max(1, k))) return i;
  }
  return -1;
}

const dim = fc.integer({ min: 1, max: 45 });
const pad = fc.integer({ min: 0, max: 4 });
const pads = fc.tuple(pad, pad, pad, pad, pad, pad);
const scalars = fc.tuple(fc.constantFrom(1, -1, 0.5), fc.constantFrom(0, 1, -2));

describe("strided GEMM update kernels", () => {
  for (const [name, kernel] of [
    ["wasm", (g: GemmStridedArgs) => expect(gemmStridedWasm(g)).toBe(true)],
    ["js", gemmStridedJs],
  ] as const) {
    it(`${name}: matches the naive loop for random shapes, transposes, offsets, strides and scalars`, () => {
      fc.assert(
        fc.property(
          dim,
          dim,
          dim,
          fc.boolean(),
          fc.boolean(),
          pads,
          scalars,
          fc.integer(),
          (m, k, n, ta, tb, p, [alpha, beta], seed) => {
            const { g, want } = makeCase(m, k, n, ta, tb, p, alpha, beta, seed);
            kernel(g);
            return mismatch(g.c, want, k) < 0;
          },
        ),
        { numRuns: 120 },
      );
    });
  }

  it("wasm kernel crosses the KC, MC and NC blocks with a transposed, strided B", () => {
    const { g, want } = makeCase(131, 300, 2061, false, true, [3, 1, 2, 5, 0, 3], -1, 1, 42);
    expect(gemmStridedWasm(g)).toBe(true);
    expect(mismatch(g.c, want, 300)).toBe(-1);
  });
});

describe("gemmF64 with options (public in-place update)", () => {
  it("equals the naive loop, including k = 0, alpha = 0 and single rows/columns", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        fc.boolean(),
        pads,
        fc.tuple(fc.constantFrom(1, -1, 0), fc.constantFrom(0, 1, 3)),
        fc.integer(),
        (m, k, n, transA, transB, p, [alpha, beta], seed) => {
          const { g, want } = makeCase(m, k, n, transA, transB, p, alpha, beta, seed);
          const out = gemmF64(g.a, g.b, m, k, n, g.c, {
            transA,
            transB,
            alpha,
            beta,
            aOffset: g.aOff,
            bOffset: g.bOff,
            outOffset: g.cOff,
            lda: g.lda,
            ldb: g.ldb,
            ldOut: g.ldc,
          });
          expect(out).toBe(g.c);
          return mismatch(g.c, want, k) < 0;
        },
      ),
      { numRuns: 150 },
    );
  });

  it("C −= A·Bᵀ in place on blocks of one buffer (a blocked-factorization trailing update)", () => {
    const n = 40;
    const l = filled(n * n, 9);
    const want = Float64Array.from(l);
    // rows 8..40, columns 8..40 −= L[8:40, 0:8] · L[8:40, 0:8]ᵀ
    for (let i = 8; i < n; i++) {
      for (let j = 8; j < n; j++) {
        let s = 0;
        for (let p = 0; p < 8; p++) s += l[i * n + p]! * l[j * n + p]!;
        want[i * n + j] = l[i * n + j]! - s;
      }
    }
    const o = 8 * n;
    gemmF64(l, l, 32, 8, 32, l, {
      transB: true,
      alpha: -1,
      beta: 1,
      aOffset: o,
      lda: n,
      bOffset: o,
      ldb: n,
      outOffset: o + 8,
      ldOut: n,
    });
    for (let i = 0; i < n * n; i++) expect(Math.abs(l[i]! - want[i]!)).toBeLessThan(1e-13);
  });

  it("rejects views that run past their buffers or strides shorter than a row, naming the option", () => {
    const a = new Float64Array(12);
    const b = new Float64Array(12);
    const c = new Float64Array(16);
    expect(() => gemmF64(a, b, 3, 4, 3, c, { lda: 3 })).toThrow(/options\.lda must be an integer ≥ 4/);
    expect(() => gemmF64(a, b, 3, 4, 3, c, { aOffset: 1 })).toThrow(ShapeError);
    expect(() => gemmF64(a, b, 3, 4, 3, c, { ldOut: 7 })).toThrow(/view of out/);
    expect(() => gemmF64(a, b, 3, 4, 3, c, { transB: true, ldb: 2 })).toThrow(/options\.ldb/);
    expect(() => gemmF64(a, b, 3, 4, 3, c, { outOffset: -1 })).toThrow(/outOffset must be an integer ≥ 0/);
  });
});
