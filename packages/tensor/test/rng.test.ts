import { close } from "@x/test-utils";
import { describe, expect, it } from "vitest";
import * as X from "../src/index.js";

describe("Threefry-2x32-20 RNG", () => {
  it("matches the Random123 known-answer vectors", () => {
    // kat_vectors from Random123 (threefry2x32_20): key, counter → output.
    expect(X.threefry2x32(0, 0, 0, 0)).toStrictEqual([0x6b200159, 0x99ba4efe]);
    expect(X.threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toStrictEqual([0x1cb996fc, 0xbb002be7]);
    expect(X.threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3)).toStrictEqual([0xc4923a9c, 0x483df7a0]);
  });
  it("is reproducible and split keys are independent streams", () => {
    const a = X.uniform(X.rng(42), [5]).data;
    const b = X.uniform(X.rng(42), [5]).data;
    expect(Array.from(a)).toStrictEqual(Array.from(b));
    const [k1, k2] = X.split(X.rng(42)) as [X.Key, X.Key];
    expect(X.uniform(k1, [1]).item()).not.toBe(X.uniform(k2, [1]).item());
    expect(X.rng(1)).not.toStrictEqual(X.rng(-1));
    expect(X.foldIn(X.rng(1), 3)).not.toStrictEqual(X.foldIn(X.rng(1), 4));
  });
  it("samplers have the right moments and supports", () => {
    const n = 20000;
    const u = X.uniform(X.rng(1), [n]);
    expect(close(X.mean(u).item(), 0.5, { atol: 0.01 })).toBe(true);
    const z = X.normal(X.rng(2), [n]);
    expect(close(X.mean(z).item(), 0, { atol: 0.03 })).toBe(true);
    expect(close(X.mean(X.square(z)).item(), 1, { atol: 0.04 })).toBe(true);
    const r = X.rademacher(X.rng(3), [n]).data;
    expect(r.every((v) => v === 1 || v === -1)).toBe(true);
    expect(close(X.mean(r).item(), 0, { atol: 0.03 })).toBe(true);
    const ri = X.randint(X.rng(4), [n], -2, 3).data;
    expect(ri.every((v) => Number.isInteger(v) && v >= -2 && v < 3)).toBe(true);
    const p = X.permutation(X.rng(5), 50).data;
    expect(Array.from(p).sort((x, y) => x - y)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i));
    const s = X.sphere(X.rng(6), 10, 4);
    expect(close(X.max(X.abs(X.sub(X.norm(s, { axis: 1 }), 1))).item(), 0, { atol: 1e-14 })).toBe(true);
  });
  it("rejects bad seeds and shapes", () => {
    expect(() => X.rng(0.5)).toThrow(X.ValueError);
    expect(() => X.normal(X.rng(0), [-1])).toThrow(X.ValueError);
    expect(() => X.randint(X.rng(0), [2], 3, 3)).toThrow(X.ValueError);
    expect(() => X.split(X.rng(0), 0)).toThrow(X.ValueError);
  });
});
