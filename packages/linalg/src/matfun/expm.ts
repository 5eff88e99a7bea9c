// Matrix exponential by Padé scaling and squaring: Higham, "The scaling and squaring method for the
// matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26 (2005) (θ_m constants and the [m/m]
// degree choice m ∈ {3, 5, 7, 9, 13}); Al-Mohy & Higham (2009) give the same θ values for the 1-norm.
// Derivative: the Fréchet derivative L(A, E) is the top-right block of expm([[A, E], [0, A]])
// (Mathias 1996; Higham, "Functions of Matrices", Thm 3.6). expm's customJvp rule is dA ↦ L(A, dA);
// L is its own primitive whose transpose is supplied by the adjoint identity L(A, ·)ᵀ = L(Aᵀ, ·) (in
// block form), because transposing a rule that calls expm on tangent-carrying input would recurse
// forever. Every rule is written with expm/L themselves, so forward, reverse and nested modes work.
import {
  add,
  asTensor,
  concat,
  customJvp,
  customVjp,
  mT,
  ShapeError,
  slice,
  type Tensor,
  type TensorLike,
  ValueError,
  zerosLike,
} from "@x/tensor";
import { matInfo, out } from "../dense/common.js";

const THETA = [1.495585217958292e-2, 2.53939833006323e-1, 9.504178996162932e-1, 2.097847961257068, 5.371920351148152];
const PADE: Record<number, number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
    670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};

function mm(a: Float64Array, b: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return c;
}

function norm1(a: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]!);
    best = Math.max(best, s);
  }
  return best;
}

/** Solves Q X = P in place (X overwrites P) by Gaussian elimination with partial pivoting. */
function solveInPlace(q: Float64Array, p: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(q[i * n + k]!) > Math.abs(q[piv * n + k]!)) piv = i;
    if (q[piv * n + k] === 0) throw new ValueError("expm: the Padé denominator is singular (input too large?)");
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = q[k * n + j]!;
        q[k * n + j] = q[piv * n + j]!;
        q[piv * n + j] = t;
        const u = p[k * n + j]!;
        p[k * n + j] = p[piv * n + j]!;
        p[piv * n + j] = u;
      }
    }
    const d = q[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = q[i * n + k]! / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) q[i * n + j]! -= f * q[k * n + j]!;
      for (let j = 0; j < n; j++) p[i * n + j]! -= f * p[k * n + j]!;
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const d = q[k * n + k]!;
    for (let j = 0; j < n; j++) {
      let s = p[k * n + j]!;
      for (let i = k + 1; i < n; i++) s -= q[k * n + i]! * p[i * n + j]!;
      p[k * n + j] = s / d;
    }
  }
}

/** e^A for one n×n matrix stored row-major in `a` (Higham 2005, Algorithm 2.3). */
export function expmRaw(a: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const nrm = norm1(a, n);
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  const A2 = mm(a, a, n);
  const lin = (cs: [number, Float64Array][]) => {
    const r = new Float64Array(n * n);
    for (const [c, m] of cs) for (let i = 0; i < n * n; i++) r[i]! += c * m[i]!;
    return r;
  };
  let U: Float64Array;
  let V: Float64Array;
  let s = 0;
  const degrees = [3, 5, 7, 9];
  const m = degrees.find((_, i) => nrm <= THETA[i]!);
  if (m !== undefined) {
    // Low degree: U = A Σ b_{2k+1} A^{2k}, V = Σ b_{2k} A^{2k}.
    const b = PADE[m]!;
    const pows: Float64Array[] = [I, A2];
    for (let k = 2; 2 * k <= m; k++) pows.push(mm(pows[k - 1]!, A2, n));
    const odd = lin(pows.map((p, k) => [b[2 * k + 1]!, p] as [number, Float64Array]));
    U = mm(a, odd, n);
    V = lin(pows.map((p, k) => [b[2 * k]!, p] as [number, Float64Array]));
  } else {
    // Degree 13 after scaling A by 2^-s so that ‖A/2^s‖₁ ≤ θ13.
    s = Math.max(0, Math.ceil(Math.log2(nrm / THETA[4]!)));
    if (!Number.isFinite(s)) throw new ValueError("expm: a must be finite");
    const f = 2 ** -s;
    const As = a.map((x) => x * f);
    const B2 = A2.map((x) => x * f * f);
    const B4 = mm(B2, B2, n);
    const B6 = mm(B4, B2, n);
    const b = PADE[13]!;
    const u1 = mm(
      B6,
      lin([
        [b[13]!, B6],
        [b[11]!, B4],
        [b[9]!, B2],
      ]),
      n,
    );
    U = mm(
      As,
      lin([
        [1, u1],
        [b[7]!, B6],
        [b[5]!, B4],
        [b[3]!, B2],
        [b[1]!, I],
      ]),
      n,
    );
    const v1 = mm(
      B6,
      lin([
        [b[12]!, B6],
        [b[10]!, B4],
        [b[8]!, B2],
      ]),
      n,
    );
    V = lin([
      [1, v1],
      [b[6]!, B6],
      [b[4]!, B4],
      [b[2]!, B2],
      [b[0]!, I],
    ]);
  }
  // r = (V − U)⁻¹ (V + U), then square s times.
  const P = lin([
    [1, V],
    [1, U],
  ]);
  const Q = lin([
    [1, V],
    [-1, U],
  ]);
  solveInPlace(Q, P, n);
  let R: Float64Array = P;
  for (let k = 0; k < s; k++) R = mm(R, R, n);
  return R;
}

function expmConcrete(a: Tensor): Tensor {
  const n = a.shape[a.rank - 1]!;
  const count = a.size / Math.max(1, n * n);
  const src = a.data;
  const res = new Float64Array(a.size);
  for (let b = 0; b < count; b++) res.set(expmRaw(src.subarray(b * n * n, (b + 1) * n * n), n), b * n * n);
  return out(res, a.shape);
}

/** [[a, e], [0, a]] over the last two axes (differentiable). */
const block = (a: Tensor, e: Tensor): Tensor => concat([concat([a, e], -1), concat([zerosLike(a), a], -1)], -2);

/** Block (r, c) of size n of a [..., 2n, 2n] tensor. */
function part(m: Tensor, r: number, c: number, n: number): Tensor {
  const lead = m.shape.slice(0, -2).map(() => null);
  return slice(m, [...lead, [r * n, (r + 1) * n], [c * n, (c + 1) * n]]);
}

/**
 * L(A, E) = [expm([[A, E], [0, A]])]₁₂. A customVjp primitive: its backward rule is the adjoint
 * identity ⟨G, L(A, E)⟩ = ⟨L(Xᵀ, Ĝ), Ẋ⟩ with X = [[A, E], [0, A]], Ĝ = [[0, G], [0, 0]], so
 * ∂/∂E = L(Aᵀ, G) (block 12) and ∂/∂A = blocks 11 + 22. Forward mode decomposes into expm, whose
 * rule calls this function again: each derivative order adds one (larger) level, never a loop.
 */
const frechetMat: (a: Tensor, e: Tensor) => Tensor = customVjp(
  (a: Tensor, e: Tensor) => part(expmMat(block(a, e)), 0, 1, a.shape[a.rank - 1]!),
  (a: Tensor, e: Tensor) => [frechetMat(a, e), { a, e }],
  ({ a, e }, g) => {
    const n = a.shape[a.rank - 1]!;
    const gHat = concat([concat([zerosLike(a), g], -1), concat([zerosLike(a), zerosLike(a)], -1)], -2);
    const full = frechetMat(mT(block(a, e)), gHat);
    return [add(part(full, 0, 0, n), part(full, 1, 1, n)), part(full, 0, 1, n)];
  },
) as (a: Tensor, e: Tensor) => Tensor;

/** e^A on [..., n, n]; the customJvp rule is the Fréchet derivative L(A, dA). */
const expmMat: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => expmConcrete(a),
  ([a], [da]) => [expmMat(a), frechetMat(a, da)],
) as (a: Tensor) => Tensor;

/**
 * Matrix exponential e^A of a square (batch of) matrix a [..., n, n] by [13/13] Padé scaling and
 * squaring. Differentiable to any order (forward and reverse mode).
 */
export function expm(a: TensorLike): Tensor {
  const A = asTensor(a, "a");
  matInfo(A, "expm", "a", true);
  return expmMat(A);
}

/** Fréchet derivative L(A, E) of expm at a in direction e (top-right block of expm([[A, E], [0, A]])). */
export function expmFrechet(a: TensorLike, e: TensorLike): { expm: Tensor; frechet: Tensor } {
  const A = asTensor(a, "a");
  const E = asTensor(e, "e");
  matInfo(A, "expmFrechet", "a", true);
  matInfo(E, "expmFrechet", "e", true);
  if (A.shape.length !== E.shape.length || A.shape.some((d, i) => d !== E.shape[i])) {
    throw new ShapeError(`expmFrechet: e must have the shape of a [${A.shape}], got [${E.shape}]`);
  }
  return { expm: expmMat(A), frechet: frechetMat(A, E) };
}
