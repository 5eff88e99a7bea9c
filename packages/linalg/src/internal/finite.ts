// The finiteness check of dense-solver inputs, as a single monomorphic pass over a Float64Array (about twice as fast
// as @x/tensor's general assertFinite, which matters once per O(n²) input of an O(n³) factorization at n ≈ 1000).
import { assertFinite } from "@x/tensor";

/** Throws assertFinite's ValueError (`${name} must be finite, found … at flat index …`) unless all of d is finite. */
export function assertFiniteF64(d: Float64Array, name: string): void {
  // x·0 is ±0 for finite x and NaN for ±∞ or NaN, so the sum is NaN exactly when some entry is not finite.
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * 0;
  if (s !== 0) assertFinite(d, name);
}
