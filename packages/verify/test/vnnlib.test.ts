import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ParseError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseVnnlib } from "../src/index.js";

const ACAS = join(__dirname, "fixtures", "acasxu");
const decl = (nx: number, ny: number) =>
  [
    ...Array.from({ length: nx }, (_, i) => `(declare-const X_${i} Real)`),
    ...Array.from({ length: ny }, (_, i) => `(declare-const Y_${i} Real)`),
  ].join("\n");

describe("parseVnnlib", () => {
  it("reads ACAS Xu property 1 (box + one output constraint)", () => {
    const p = parseVnnlib(readFileSync(join(ACAS, "prop_1.vnnlib"), "utf8"));
    expect(p.inputSize).toBe(5);
    expect(p.outputSize).toBe(5);
    expect(p.specs.length).toBe(1);
    const s = p.specs[0]!;
    expect(Array.from(s.lower)).toEqual([0.6, -0.5, -0.5, 0.45, -0.5]);
    expect(Array.from(s.upper)).toEqual([0.679857769, 0.5, 0.5, 0.5, -0.45]);
    // Y_0 >= 3.99… becomes −Y_0 ≤ −3.99…
    expect(s.rows).toBe(1);
    expect(Array.from(s.C)).toEqual([-1, 0, 0, 0, 0]);
    expect(s.d[0]).toBe(-3.991125645861615);
  });

  it("normalises property 7's disjunction into two specs of three rows", () => {
    const p = parseVnnlib(readFileSync(join(ACAS, "prop_7.vnnlib"), "utf8"));
    expect(p.specs.length).toBe(2);
    expect(p.specs.map((s) => s.rows)).toEqual([3, 3]);
    // first disjunct: Y_3 ≤ Y_0 → Y_3 − Y_0 ≤ 0
    expect(Array.from(p.specs[0]!.C.subarray(0, 5))).toEqual([-1, 0, 0, 1, 0]);
  });

  it("accepts every SMT-LIB number form", () => {
    const text = `${decl(4, 1)}
      (assert (>= X_0 (- 1.5))) (assert (<= X_0 1e-3))
      (assert (>= X_1 -2)) (assert (<= X_1 #x10))
      (assert (>= X_2 (/ 1 4))) (assert (<= X_2 #b101))
      (assert (>= X_3 .5)) (assert (<= X_3 2.5E1))
      (assert (<= Y_0 (* 2 (+ 1 0.5))))`;
    const s = parseVnnlib(text).specs[0]!;
    expect(Array.from(s.lower)).toEqual([-1.5, -2, 0.25, 0.5]);
    expect(Array.from(s.upper)).toEqual([0.001, 16, 5, 25]);
    expect(s.d[0]).toBe(3);
  });

  it("expands nested and/or into disjunctive normal form", () => {
    const text = `${decl(1, 3)} (assert (<= X_0 1)) (assert (>= X_0 0))
      (assert (or (and (<= Y_0 Y_1) (or (<= Y_0 Y_2) (>= Y_1 1))) (<= Y_2 0)))`;
    const p = parseVnnlib(text);
    expect(p.specs.map((s) => s.rows)).toEqual([2, 2, 1]);
  });

  it("drops disjuncts with an empty input box", () => {
    const text = `${decl(1, 1)} (assert (or (and (>= X_0 1) (<= X_0 0) (<= Y_0 0)) (and (>= X_0 0) (<= X_0 1) (<= Y_0 5))))`;
    const p = parseVnnlib(text);
    expect(p.specs.length).toBe(1);
    expect(p.specs[0]!.d[0]).toBe(5);
  });

  it("reports errors with line and column", () => {
    const bad = (t: string, re: RegExp) => {
      expect(() => parseVnnlib(t)).toThrow(ParseError);
      expect(() => parseVnnlib(t)).toThrow(re);
    };
    bad(`${decl(1, 1)}\n(assert (<= X_0 1)`, /unclosed.*line 3, column 1/);
    bad(`${decl(1, 1)}\n  (assert (<= X_7 1))`, /undeclared variable 'X_7'.*line 3, column 15/);
    bad(`${decl(1, 1)}\n(assert (foo X_0 1))`, /unsupported formula operator 'foo'.*line 3/);
    bad("(declare-const X_0 Int)", /unsupported sort 'Int'/);
    bad(`${decl(1, 1)}\n)`, /unexpected '\)'.*line 3, column 1/);
    bad(`${decl(1, 1)} (assert (<= Y_0 1))`, /X_0 is not bounded/);
  });

  it("round-trips random boxes and thresholds exactly", () => {
    const num = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(num, num), { minLength: 1, maxLength: 6 }), num, (pairs, thr) => {
        const lines = [decl(pairs.length, 1)];
        pairs.forEach(([a, b], i) => {
          lines.push(`(assert (>= X_${i} ${Math.min(a, b)}))`, `(assert (<= X_${i} ${Math.max(a, b)}))`);
        });
        lines.push(`(assert (<= Y_0 ${thr}))`);
        const s = parseVnnlib(lines.join("\n")).specs[0]!;
        return (
          pairs.every(([a, b], i) => s.lower[i] === Math.min(a, b) && s.upper[i] === Math.max(a, b)) && s.d[0] === thr
        );
      }),
    );
  });
});
