// Seeded, splittable, counter-based RNG: Threefry-2x32 with 20 rounds (Salmon et al., "Parallel
// random numbers: as easy as 1, 2, 3", SC 2011) — the generator JAX uses. Only 32-bit adds,
// rotations and xors, so every platform produces the same bits. A key never changes; `split`
// derives independent keys and each sampler reads counters (0, i) of its key.
import { ValueError } from "./errors.js";
import { sizeOf } from "./shape.js";
import { fromF64, type Tensor } from "./tensor.js";

export interface Key {
  readonly k0: number;
  readonly k1: number;
}

const ROT = [13, 15, 26, 6, 17, 29, 16, 24];

/** Threefry-2x32-20 block: encrypts counter (c0, c1) under key (k0, k1); returns two uint32. */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number): [number, number] {
  const ks = [k0 >>> 0, k1 >>> 0, (0x1bd11bda ^ k0 ^ k1) >>> 0];
  let x0 = (c0 + ks[0]!) >>> 0;
  let x1 = (c1 + ks[1]!) >>> 0;
  for (let r = 0; r < 20; r++) {
    x0 = (x0 + x1) >>> 0;
    const rot = ROT[r % 8]!;
    x1 = ((x1 << rot) | (x1 >>> (32 - rot))) >>> 0;
    x1 = (x1 ^ x0) >>> 0;
    if (r % 4 === 3) {
      const s = (r + 1) / 4;
      x0 = (x0 + ks[s % 3]!) >>> 0;
      x1 = (x1 + ks[(s + 1) % 3]! + s) >>> 0;
    }
  }
  return [x0, x1];
}

/** A key from an integer seed (|seed| < 2^53). */
export function rng(seed: number): Key {
  if (!Number.isSafeInteger(seed)) throw new ValueError(`rng: seed must be a safe integer, got ${seed}`);
  const s = seed < 0 ? -seed : seed;
  const hi = Math.floor(s / 2 ** 32) >>> 0;
  const lo = s >>> 0;
  // The sign goes into the high word so rng(-1) differs from rng(1).
  return { k0: seed < 0 ? (hi ^ 0x80000000) >>> 0 : hi, k1: lo };
}

/** n independent keys derived from `key` (counters (1, i), disjoint from the samplers' (0, i)). */
export function split(key: Key, n = 2): Key[] {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`split: n must be a positive integer, got ${n}`);
  return Array.from({ length: n }, (_, i) => {
    const [a, b] = threefry2x32(key.k0, key.k1, 1, i);
    return { k0: a, k1: b };
  });
}

/** A key derived from `key` and an integer (e.g. a step number), like jax.random.fold_in. */
export function foldIn(key: Key, data: number): Key {
  const [a, b] = threefry2x32(key.k0, key.k1, 2, data >>> 0);
  return { k0: a, k1: b };
}

/** `n` uniform doubles in [0, 1) with 53 random bits each. */
export function uniformArray(key: Key, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b] = threefry2x32(key.k0, key.k1, 0, i);
    out[i] = ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
  }
  return out;
}

function checkShape(shape: readonly number[], op: string): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(`${op}: shape must be non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return sizeOf(shape);
}

/** Uniform samples in [low, high). */
export function uniform(key: Key, shape: readonly number[], low = 0, high = 1): Tensor {
  const n = checkShape(shape, "uniform");
  if (!(high > low) || !Number.isFinite(high - low)) {
    throw new ValueError(`uniform: need finite low < high, got low=${low}, high=${high}`);
  }
  const u = uniformArray(key, n);
  for (let i = 0; i < n; i++) u[i] = low + (high - low) * u[i]!;
  return fromF64(u, shape);
}

/** Standard normal samples (Box–Muller on pairs of uniforms), scaled to mean/std. */
export function normal(key: Key, shape: readonly number[], mean = 0, std = 1): Tensor {
  const n = checkShape(shape, "normal");
  if (!(std >= 0) || !Number.isFinite(std)) throw new ValueError(`normal: std must be finite and ≥ 0, got ${std}`);
  const u = uniformArray(key, n + (n % 2));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u[i]!)); // 1 − u ∈ (0, 1]: never log(0)
    const th = 2 * Math.PI * u[i + 1]!;
    out[i] = mean + std * r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(th);
  }
  return fromF64(out, shape);
}

/** Random signs ±1 with equal probability (Hutchinson probes). */
export function rademacher(key: Key, shape: readonly number[]): Tensor {
  const n = checkShape(shape, "rademacher");
  const u = uniformArray(key, n);
  for (let i = 0; i < n; i++) u[i] = u[i]! < 0.5 ? -1 : 1;
  return fromF64(u, shape);
}

/** Integers uniform in [low, high). */
export function randint(key: Key, shape: readonly number[], low: number, high: number): Tensor {
  const n = checkShape(shape, "randint");
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  const u = uniformArray(key, n);
  for (let i = 0; i < n; i++) u[i] = low + Math.floor(u[i]! * (high - low));
  return fromF64(u, shape);
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(key: Key, n: number): Tensor {
  checkShape([n], "permutation");
  const u = uniformArray(key, n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i]! * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return fromF64(p, [n]);
}

/** `count` points uniform on the unit sphere in R^dim (normalised Gaussians), shape [count, dim]. */
export function sphere(key: Key, count: number, dim: number): Tensor {
  if (!Number.isInteger(dim) || dim < 1) throw new ValueError(`sphere: dim must be a positive integer, got ${dim}`);
  const g = normal(key, [count, dim]).data;
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += g[i * dim + j]! ** 2;
    const r = Math.sqrt(s);
    for (let j = 0; j < dim; j++) g[i * dim + j]! /= r;
  }
  return fromF64(g, [count, dim]);
}
