import { describe, expect, it } from "vitest";
import { ValueError } from "../src/errors.js";
import {
  compileSimdModule,
  decodeWasmBase64,
  instantiateSimdModule,
  wasmSimdAvailable,
  wasmValidates,
} from "../src/index.js";

// (module (func (export "sq") (param f64) (result f64)
//   (f64x2.extract_lane 0 (f64x2.mul (f64x2.splat (local.get 0)) (f64x2.splat (local.get 0))))))
const SQ = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 124, 1, 124, 3, 2, 1, 0, 7, 6, 1, 2, 115, 113, 0, 0, 10, 18, 1, 16, 0,
  32, 0, 253, 20, 32, 0, 253, 20, 253, 242, 1, 253, 33, 0, 11,
];
const base64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

describe("wasm SIMD loader (shared by the wasm kernels of @x/tensor, @x/linalg, @x/ot)", () => {
  it("decodes base64 to the original bytes", () => {
    const bytes = Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255);
    expect(Array.from(decodeWasmBase64(base64(bytes)))).toEqual(bytes);
  });

  it("compiles and instantiates a SIMD module where the engine has SIMD128 (Node ≥ 16)", () => {
    expect(wasmValidates(SQ)).toBe(true);
    expect(wasmSimdAvailable()).toBe(true);
    expect(compileSimdModule(base64(SQ))).toBeInstanceOf(WebAssembly.Module);
    const ex = instantiateSimdModule<{ sq: (x: number) => number }>(base64(SQ));
    expect(ex?.sq(1.5)).toBeCloseTo(2.25, 15);
  });

  it("rejects a base64 argument that is not a base64 string with a ValueError naming it", () => {
    expect(() => decodeWasmBase64("not base64!")).toThrow(ValueError);
    expect(() => decodeWasmBase64("not base64!")).toThrow(/base64 must be a base64 string/);
    expect(() => compileSimdModule(42 as unknown as string)).toThrow(/got number/);
    expect(() => instantiateSimdModule("%%")).toThrow(ValueError);
  });

  it("gives null (the JS kernels' signal) for bytes that are not a module", () => {
    const bad = base64([0, 97, 115, 109, 1, 0, 0, 0, 99]);
    expect(wasmValidates([1, 2, 3])).toBe(false);
    expect(compileSimdModule(bad)).toBeNull();
    expect(instantiateSimdModule(bad)).toBeNull();
  });
});
