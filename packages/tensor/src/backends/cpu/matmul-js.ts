// Plain-JS float64 GEMM: out[m×n] = a[m×k] · b[k×n], all row-major and contiguous.
//
// Structure follows Goto & van de Geijn, "Anatomy of high-performance matrix multiplication"
// (ACM TOMS 34(3), 2008): B is cut into KC×NC blocks that are packed into NR-wide column
// panels, and a register-blocked MR×NR micro-kernel streams a packed panel against rows of A.
// In JS the gains come mostly from (1) the packed panel being read with unit stride and
// staying in L1 across all rows of A, and (2) the 2×4 accumulators living in registers so
// each loaded value is reused 2-4 times. A is not packed: its 2 rows are read with unit
// stride in p, which the hardware prefetcher already handles well.
//
// This is also the reference/fallback for the WebAssembly kernel (matmul-wasm.ts).

/**
 * Signature shared by every float64 matmul kernel in this folder: out[m×n] = a[m×k] · b[k×n] on row-major
 * Float64Arrays starting at the given offsets; out is overwritten.
 */
export type MatmulF64 = (
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  out: Float64Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
) => void;

/** Rows of A per micro-tile. */
const MR = 2;
/** Columns of B per packed panel (and per micro-tile). */
const NR = 4;
/** Depth of a packed B block: KC×NR×8 B = 8 KiB per panel, so a panel stays in L1. */
const KC = 256;
/** Width of a packed B block: KC×NC×8 B = 2 MiB, which fits L3 on anything recent. */
const NC = 1024;

// Scratch for the packed B block, grown on demand and reused across calls so steady-state
// calls do not allocate.
let packed = new Float64Array(0);

function scratch(size: number): Float64Array {
  if (packed.length < size) packed = new Float64Array(size);
  return packed;
}

/**
 * Packs b[pc:pc+kc, jc:jc+nc] into NR-wide panels: panel q holds columns jc+q·NR … +NR−1,
 * laid out p-major (NR consecutive values per p). Columns past nc are zero-filled so the
 * micro-kernel never needs a column edge case; the writer simply drops them.
 */
function packB(
  b: Float64Array,
  bOff: number,
  n: number,
  pc: number,
  jc: number,
  kc: number,
  nc: number,
  dst: Float64Array,
): void {
  let d = 0;
  for (let q = 0; q < nc; q += NR) {
    const w = Math.min(NR, nc - q);
    for (let p = 0; p < kc; p++) {
      const src = bOff + (pc + p) * n + jc + q;
      if (w === NR) {
        dst[d] = b[src]!;
        dst[d + 1] = b[src + 1]!;
        dst[d + 2] = b[src + 2]!;
        dst[d + 3] = b[src + 3]!;
      } else {
        for (let j = 0; j < NR; j++) dst[d + j] = j < w ? b[src + j]! : 0;
      }
      d += NR;
    }
  }
}

/**
 * out[m×n] = a[m×k] · b[k×n]. Row-major Float64Arrays starting at the given offsets;
 * out is overwritten. Exact for every m, k, n ≥ 0 (no padding assumptions).
 */
export const matmulJs: MatmulF64 = (a, aOff, b, bOff, out, outOff, m, k, n) => {
  if (m === 0 || n === 0) return;
  // Zeroing first lets every KC block accumulate with `+=` (one code path); it is O(mn)
  // against O(mnk) work, and gives the k = 0 result for free.
  out.fill(0, outOff, outOff + m * n);
  if (k === 0) return;

  const bp = scratch(Math.min(KC, k) * Math.ceil(Math.min(NC, n) / NR) * NR);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, bOff, n, pc, jc, kc, nc, bp);
      for (let q = 0; q < nc; q += NR) {
        const w = Math.min(NR, nc - q);
        const panel = q * kc; // = (q / NR) · kc · NR
        const o = outOff + jc + q;
        let i = 0;
        for (; i + MR <= m; i += MR) {
          kernel2x4(a, aOff + i * k + pc, k, bp, panel, kc, out, o + i * n, n, w);
        }
        for (; i < m; i++) {
          kernel1x4(a, aOff + i * k + pc, bp, panel, kc, out, o + i * n, w);
        }
      }
    }
  }
};

/**
 * 2×4 register tile: out[2×w] += a[2×kc] · panel[kc×4]. Each loaded b is used twice and each
 * a four times. 4×4 (16 accumulators) measured ~10% slower under V8: with the 4 b values and
 * an a it exceeds the 16 xmm registers and spills; 3×4 was in between.
 */
function kernel2x4(
  a: Float64Array,
  ai: number,
  lda: number,
  bp: Float64Array,
  bi: number,
  kc: number,
  out: Float64Array,
  oi: number,
  ldo: number,
  w: number,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  const a1 = ai + lda;
  for (let p = 0; p < kc; p++) {
    const b0 = bp[bi]!;
    const b1 = bp[bi + 1]!;
    const b2 = bp[bi + 2]!;
    const b3 = bp[bi + 3]!;
    bi += NR;
    const x0 = a[ai + p]!;
    c00 += x0 * b0;
    c01 += x0 * b1;
    c02 += x0 * b2;
    c03 += x0 * b3;
    const x1 = a[a1 + p]!;
    c10 += x1 * b0;
    c11 += x1 * b1;
    c12 += x1 * b2;
    c13 += x1 * b3;
  }
  store4(out, oi, w, c00, c01, c02, c03);
  store4(out, oi + ldo, w, c10, c11, c12, c13);
}

/** Leftover row (m odd): one row of A against the packed panel. */
function kernel1x4(
  a: Float64Array,
  ai: number,
  bp: Float64Array,
  bi: number,
  kc: number,
  out: Float64Array,
  oi: number,
  w: number,
): void {
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let p = 0; p < kc; p++) {
    const x = a[ai + p]!;
    c0 += x * bp[bi]!;
    c1 += x * bp[bi + 1]!;
    c2 += x * bp[bi + 2]!;
    c3 += x * bp[bi + 3]!;
    bi += NR;
  }
  store4(out, oi, w, c0, c1, c2, c3);
}

/** Adds a tile row into out, dropping the zero-padded columns past the matrix edge (w < 4). */
function store4(out: Float64Array, o: number, w: number, c0: number, c1: number, c2: number, c3: number): void {
  out[o] = out[o]! + c0;
  if (w > 1) out[o + 1] = out[o + 1]! + c1;
  if (w > 2) out[o + 2] = out[o + 2]! + c2;
  if (w > 3) out[o + 3] = out[o + 3]! + c3;
}
