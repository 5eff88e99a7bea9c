// WebAssembly SIMD128 support shared by the wasm kernels of @x/tensor (matmul), @x/linalg (gemv, block GEMM) and
// @x/ot (exp sums): one probe of the engine, one base64 decoder, one compile step and the linear-memory limits.
// Every kernel has a plain-JS twin, so null here only means "use the JS kernel"; a base64 argument that is not a
// base64 string is a programming error and throws.
import { ValueError } from "./errors.js";

// (module (func (param v128) (result v128) (f64x2.mul (local.get 0) (local.get 0))))
const SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 32, 0, 32, 0, 253, 242, 1, 11,
];

/** Bytes in a WebAssembly memory page. */
export const WASM_PAGE = 65536;
/** Linear memory above this is not attempted (i32 byte offsets inside the modules). */
export const WASM_MAX_BYTES = 2 ** 31 - WASM_PAGE;

/** True when `bytes` is a module this engine validates (false without WebAssembly). */
export function wasmValidates(bytes: ArrayLike<number>): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(Uint8Array.from(bytes));
  } catch {
    return false;
  }
}

let simd: boolean | undefined;

/** True when this engine validates a WebAssembly module using SIMD128 f64x2 instructions. */
export function wasmSimdAvailable(): boolean {
  simd ??= wasmValidates(SIMD_PROBE);
  return simd;
}

/** The bytes of a base64 string (atob exists in browsers and Node ≥ 16, unlike Buffer; the modules are small). */
export function decodeWasmBase64(s: string): Uint8Array<ArrayBuffer> {
  let bin: string;
  try {
    if (typeof s !== "string") throw new TypeError();
    bin = atob(s);
  } catch {
    throw new ValueError(
      `decodeWasmBase64: base64 must be a base64 string, got ${typeof s === "string" ? `"${s.slice(0, 20)}"` : typeof s}`,
    );
  }
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The compiled SIMD module in `base64`, or null without SIMD128 or if it does not compile (ValueError: not base64). */
export function compileSimdModule(base64: string): WebAssembly.Module | null {
  const bytes = decodeWasmBase64(base64);
  if (!wasmSimdAvailable()) return null;
  try {
    return new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
}

/** The exports of an instance (no imports) of the SIMD module in `base64`, or null (see compileSimdModule). */
export function instantiateSimdModule<T>(base64: string): T | null {
  const mod = compileSimdModule(base64);
  if (!mod) return null;
  try {
    return new WebAssembly.Instance(mod, {}).exports as unknown as T;
  } catch {
    return null;
  }
}
