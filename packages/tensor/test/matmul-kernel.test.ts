// The float64 GEMM kernels (plain JS, WebAssembly SIMD / relaxed SIMD, and the size dispatch)
// against a naive triple loop: random shapes including 0 and 1 and non-multiples of every block
// size, random offsets, exact overwrite of the output window, IEEE special values.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matmulF64 } from "../src/backends/cpu/matmul-dispatch.js";
import { matmulJs } from "../src/backends/cpu/matmul-js.js";
import {
  type MatmulF64,
  matmulWasm,
  wasmMatmulVariant,
  wasmRelaxedSimdAvailable,
  wasmSimdAvailable,
} from "../src/backends/cpu/matmul-wasm.js";
import { ShapeError } from "../src/errors.js";
import { gemmF64 } from "../src/index.js";

const kernels: [string, MatmulF64][] = [
  ["matmulJs", matmulJs],
  ["matmulWasm", matmulWasm],
  ["matmulF64", matmulF64],
];
const simd = wasmMatmulVariant("simd");
if (simd) kernels.push(["wasm simd", simd]);
const relaxed = wasmMatmulVariant("relaxed");
if (relaxed) kernels.push(["wasm relaxed", relaxed]);

/** Sentinel around the output window: a kernel must not write outside [outOff, outOff + m·n). */
const GUARD = 12345.678;

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Deterministic values in [-1, 1) from a seed (fast-check drives the seed, not every entry). */
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

/**
 * Runs `kernel` on a, b embedded at offsets in larger arrays, with the output window pre-filled
 * with NaN (so "overwrite, not accumulate" is checked) and guarded on both sides.
 */
function runAt(
  kernel: MatmulF64,
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  aOff: number,
  bOff: number,
  outOff: number,
): Float64Array {
  const aBig = new Float64Array(aOff + m * k + 3).fill(Number.NaN);
  aBig.set(a, aOff);
  const bBig = new Float64Array(bOff + k * n + 3).fill(Number.NaN);
  bBig.set(b, bOff);
  const out = new Float64Array(outOff + m * n + 3).fill(GUARD);
  out.fill(Number.NaN, outOff, outOff + m * n);
  kernel(aBig, aOff, bBig, bOff, out, outOff, m, k, n);
  for (let i = 0; i < outOff; i++) expect(out[i]).toBe(GUARD);
  for (let i = outOff + m * n; i < out.length; i++) expect(out[i]).toBe(GUARD);
  return out.subarray(outOff, outOff + m * n);
}

/** Index of the first entry violating |x − y| ≤ 1e-12·(1 + |y|)·k (NaN/±∞ must match), or −1. */
function firstMismatch(got: Float64Array, want: Float64Array, k: number): number {
  for (let i = 0; i < want.length; i++) {
    const x = got[i]!;
    const y = want[i]!;
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      if (!Object.is(x, y)) return i;
    } else if (!(Math.abs(x - y) <= 1e-12 * (1 + Math.abs(y)) * k)) {
      return i;
    }
  }
  return -1;
}

function expectClose(got: Float64Array, want: Float64Array, k: number): void {
  const i = firstMismatch(got, want, k);
  if (i >= 0) expect.fail(`entry ${i}: got ${got[i]}, want ${want[i]}`);
}

const dim = fc.integer({ min: 0, max: 70 });
const off = fc.integer({ min: 0, max: 5 });

describe("float64 matmul kernels", () => {
  it("detects SIMD in Node 20+", () => {
    expect(wasmSimdAvailable()).toBe(true);
    // Relaxed SIMD is optional (Node ≥ 22); only its consistency is checked here.
    if (wasmRelaxedSimdAvailable()) expect(wasmSimdAvailable()).toBe(true);
  });

  for (const [name, kernel] of kernels) {
    describe(name, () => {
      it("matches the naive loop for random shapes and offsets", () => {
        fc.assert(
          fc.property(dim, dim, dim, off, off, off, fc.integer(), (m, k, n, aOff, bOff, outOff, seed) => {
            const a = filled(m * k, seed);
            const b = filled(k * n, seed ^ 0x5bd1e995);
            const got = runAt(kernel, a, b, m, k, n, aOff, bOff, outOff);
            return firstMismatch(got, naive(a, b, m, k, n), k) < 0;
          }),
          { numRuns: 150 },
        );
      });

      it("handles empty and degenerate shapes", () => {
        for (const [m, k, n] of [
          [0, 0, 0],
          [0, 3, 2],
          [2, 0, 3],
          [3, 2, 0],
          [1, 1, 1],
          [1, 5, 1],
          [5, 1, 7],
        ] as const) {
          const a = filled(m * k, 7);
          const b = filled(k * n, 11);
          // k = 0 must give exact zeros (an empty sum), not the NaN the window was filled with.
          expectClose(runAt(kernel, a, b, m, k, n, 2, 1, 3), naive(a, b, m, k, n), Math.max(k, 1));
        }
      });

      it("propagates NaN and ±Infinity like the naive loop", () => {
        const m = 9;
        const k = 7;
        const n = 6;
        const a = filled(m * k, 3);
        const b = filled(k * n, 5);
        a[2 * k + 4] = Number.NaN; // row 2 of the result becomes NaN
        b[1 * n + 5] = Number.NaN; // column 5 becomes NaN
        a[6 * k + 0] = Number.POSITIVE_INFINITY; // row 6: ±∞ by the sign of b[0, j]
        b[3 * n + 1] = Number.NEGATIVE_INFINITY; // column 1: ±∞, and ∞ − ∞ = NaN at (6, 1)
        const want = naive(a, b, m, k, n);
        const got = runAt(kernel, a, b, m, k, n, 1, 2, 3);
        for (let j = 0; j < n; j++) expect(got[2 * n + j]).toBeNaN();
        for (let i = 0; i < m; i++) expect(got[i * n + 5]).toBeNaN();
        expect(want.some((x) => x === Number.POSITIVE_INFINITY)).toBe(true);
        expect(want.some((x) => x === Number.NEGATIVE_INFINITY)).toBe(true);
        expectClose(got, want, k);
      });

      it("propagates randomly placed special values", () => {
        const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0);
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 13 }),
            fc.integer({ min: 1, max: 13 }),
            fc.integer({ min: 1, max: 13 }),
            fc.integer(),
            fc.array(fc.tuple(fc.boolean(), fc.nat(), special), { maxLength: 4 }),
            (m, k, n, seed, specials) => {
              const a = filled(m * k, seed);
              const b = filled(k * n, ~seed);
              for (const [inA, at, v] of specials) {
                if (inA) a[at % a.length] = v;
                else b[at % b.length] = v;
              }
              const got = runAt(kernel, a, b, m, k, n, 0, 0, 0);
              return firstMismatch(got, naive(a, b, m, k, n), k) < 0;
            },
          ),
          { numRuns: 100 },
        );
      });

      it("is accurate at 200×300×150 (crosses the KC and MC blocks)", () => {
        const [m, k, n] = [200, 300, 150];
        const a = filled(m * k, 42);
        const b = filled(k * n, 43);
        expectClose(runAt(kernel, a, b, m, k, n, 3, 0, 5), naive(a, b, m, k, n), k);
      });

      it("crosses the NC block (n > 2048) with ragged edges", () => {
        const [m, k, n] = [5, 261, 2101];
        const a = filled(m * k, 44);
        const b = filled(k * n, 45);
        expectClose(runAt(kernel, a, b, m, k, n, 1, 4, 2), naive(a, b, m, k, n), k);
      });
    });
  }
});

describe("gemmF64 (public float64 GEMM on Float64Array views)", () => {
  it("equals the naive loop on random shapes, including views into larger buffers and k = 0", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer(),
        (m, k, n, pad, seed) => {
          const bigA = filled(m * k + 2 * pad, seed);
          const bigB = filled(k * n + pad, seed + 1);
          const a = bigA.subarray(pad, pad + m * k);
          const b = bigB.subarray(pad, pad + k * n);
          const out = new Float64Array(m * n).fill(Number.NaN);
          const c = gemmF64(a, b, m, k, n, out);
          expect(c).toBe(out);
          expectClose(c, naive(a, b, m, k, n), k);
        },
      ),
    );
  });

  it("rejects operands shorter than their declared shapes, naming the sizes", () => {
    expect(() => gemmF64(new Float64Array(5), new Float64Array(6), 2, 3, 2)).toThrow(ShapeError);
    expect(() => gemmF64(new Float64Array(6), new Float64Array(6), 2, 3, 2, new Float64Array(3))).toThrow(/out ≥ 4/);
  });
});
