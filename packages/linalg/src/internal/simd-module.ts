// One loader for @x/linalg's WebAssembly SIMD kernels (gemv for the reductions, the block GEMM of the factorizations):
// probe SIMD128 once, decode the base64 bytes, instantiate without imports; null where the engine lacks either.

// (module (func (param v128) (result v128) (f64x2.mul (local.get 0) (local.get 0))))
const SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 32, 0, 32, 0, 253, 242, 1, 11,
];

export const WASM_PAGE = 65536;
/** Linear memory above this is not attempted (i32 byte offsets inside the modules). */
export const WASM_MAX_BYTES = 2 ** 31 - WASM_PAGE;

/** The exports of the module in `base64`, or null without SIMD128 (or if instantiation fails). */
export function instantiateSimd<T>(base64: string): T | null {
  try {
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(new Uint8Array(SIMD_PROBE))) return null;
    const bin = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new WebAssembly.Instance(new WebAssembly.Module(bin), {}).exports as unknown as T;
  } catch {
    return null;
  }
}
