// Scalar special functions against SciPy fixtures (tooling/reference/special.py) plus
// identity-based properties that tie the different algorithm regions together.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  digamma,
  erf,
  erfc,
  erfcx,
  gammaSign,
  lgamma,
  logBesselI,
  logBesselK,
  polygamma,
} from "../src/special/index.js";
import fixtures from "./fixtures/special.json";

/** |a − b| ≤ atol + rtol·|b|; NaN never matches. */
function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (a === b) return true; // also covers equal infinities
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/** log(e^a + e^b) without overflow; −Infinity operands are fine. */
function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  if (m === Number.NEGATIVE_INFINITY) return m;
  return m + Math.log1p(Math.exp(Math.min(a, b) - m));
}

interface Row {
  args: number[];
  value: number;
}

function checkRows(name: string, rows: Row[], f: (...args: number[]) => number, rtol: number, atol: number): void {
  expect(rows.length).toBeGreaterThan(0);
  for (const { args, value } of rows) {
    const got = f(...args);
    expect(close(got, value, rtol, atol), `${name}(${args.join(", ")}) = ${got}, want ${value}`).toBe(true);
  }
}

/** Dyadic non-integers k/4096 + 1/8192: x + 1 is exact, and x is never a pole. */
const dyadic = (lo: number, hi: number) =>
  fc.integer({ min: lo * 4096, max: hi * 4096 }).map((k) => k / 4096 + 1 / 8192);
/** Log-uniform positive doubles in [10^lo, 10^hi]. */
const logUniform = (lo: number, hi: number) =>
  fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map((e) => 10 ** e);
const order = (hi: number) => fc.double({ min: 0, max: hi, noNaN: true, noDefaultInfinity: true });

describe("special functions vs SciPy fixtures", () => {
  it("records its generator", () => {
    expect(fixtures.generator).toBe("tooling/reference/special.py");
    expect(fixtures.scipy).toMatch(/^\d+\.\d+/);
  });

  it("lgamma", () => {
    // Relative 1e-14; the absolute 1e-15 only matters next to the roots at 1 and 2.
    checkRows("lgamma", fixtures.gammaln, (x) => lgamma(x!), 1e-14, 1e-15);
  });

  it("digamma", () => {
    checkRows("digamma", fixtures.digamma, (x) => digamma(x!), 1e-13, 1e-15);
  });

  it("polygamma n = 1, 2, 3", () => {
    checkRows("polygamma", fixtures.polygamma, (n, x) => polygamma(n!, x!), 1e-13, 0);
  });

  it("erf and erfc (tail to x = 26)", () => {
    checkRows("erf", fixtures.erf, (x) => erf(x!), 1e-14, 0);
    checkRows("erfc", fixtures.erfc, (x) => erfc(x!), 1e-14, 0);
  });

  it("log I_nu(x) and log K_nu(x), nu up to 500, x from 1e-8 to 1e5", () => {
    // Relative 1e-12 on the log, absolute 1e-12 where |log| < 1.
    checkRows("logBesselI", fixtures.logI, (nu, x) => logBesselI(nu!, x!), 1e-12, 1e-12);
    checkRows("logBesselK", fixtures.logK, (nu, x) => logBesselK(nu!, x!), 1e-12, 1e-12);
  });
});

describe("gamma family", () => {
  it("lgamma(x+1) = lgamma(x) + log|x|", () => {
    fc.assert(
      fc.property(dyadic(-60, 200), (x) => {
        const lhs = lgamma(x + 1);
        const rhs = lgamma(x) + Math.log(Math.abs(x));
        const scale = 1 + Math.abs(lgamma(x)) + Math.abs(Math.log(Math.abs(x)));
        return close(lhs, rhs, 0, 1e-14 * scale);
      }),
    );
  });

  it("digamma(x+1) = digamma(x) + 1/x", () => {
    fc.assert(
      fc.property(dyadic(-60, 200), (x) => {
        const scale = 1 + Math.abs(digamma(x)) + Math.abs(1 / x);
        return close(digamma(x + 1), digamma(x) + 1 / x, 0, 1e-14 * scale);
      }),
    );
  });

  it("polygamma(1, x+1) = polygamma(1, x) − 1/x²", () => {
    fc.assert(
      fc.property(dyadic(-30, 200), (x) => {
        const scale = Math.abs(polygamma(1, x)) + 1 / (x * x);
        return close(polygamma(1, x + 1), polygamma(1, x) - 1 / (x * x), 0, 1e-14 * scale);
      }),
    );
  });

  it("polygamma(0, x) is digamma and polygamma(n, x) matches its recurrence for n = 2, 5", () => {
    fc.assert(
      fc.property(dyadic(0, 100), fc.constantFrom(2, 5), (x, n) => {
        // ψ^(n)(x+1) = ψ^(n)(x) + (−1)^n n!/x^{n+1}
        const fact = n === 2 ? 2 : 120;
        const step = ((n % 2 === 0 ? 1 : -1) * fact) / x ** (n + 1);
        const scale = Math.abs(polygamma(n, x)) + Math.abs(step);
        return polygamma(0, x) === digamma(x) && close(polygamma(n, x + 1), polygamma(n, x) + step, 0, 1e-14 * scale);
      }),
    );
  });

  it("poles, signs and special values", () => {
    expect(lgamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(lgamma(-3)).toBe(Number.POSITIVE_INFINITY);
    expect(lgamma(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(lgamma(Number.NaN)).toBeNaN();
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
    expect(close(lgamma(0.5), 0.5 * Math.log(Math.PI), 1e-15, 0)).toBe(true);
    expect(gammaSign(2.5)).toBe(1);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1);
    expect(gammaSign(-2.5)).toBe(-1);
    expect(gammaSign(-2)).toBeNaN();
    expect(digamma(0)).toBeNaN();
    expect(digamma(-4)).toBeNaN();
    expect(close(digamma(1), -0.5772156649015329, 1e-15, 0)).toBe(true);
    expect(polygamma(1, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(polygamma(2, -1)).toBeNaN();
    expect(close(polygamma(1, 1), (Math.PI * Math.PI) / 6, 1e-15, 0)).toBe(true);
  });

  it("polygamma rejects a non-integer or negative order n", () => {
    expect(() => polygamma(1.5, 2)).toThrow(RangeError);
    expect(() => polygamma(1.5, 2)).toThrow(/\bn\b/);
    expect(() => polygamma(-1, 2)).toThrow(RangeError);
    expect(() => polygamma(Number.NaN, 2)).toThrow(/\bn\b/);
  });
});

describe("error function", () => {
  it("erf is odd and erf + erfc = 1", () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        return close(erf(-x), -erf(x), 0, 0) && close(erf(x) + erfc(x), 1, 0, 1e-15);
      }),
    );
  });

  it("erfcx(x) = exp(x²) erfc(x) where both are representable", () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 20, noNaN: true }), (x) => {
        return close(erfcx(x), Math.exp(x * x) * erfc(x), 1e-13, 0);
      }),
    );
    expect(close(erfcx(1e10), 1 / (1e10 * Math.sqrt(Math.PI)), 1e-15, 0)).toBe(true);
  });

  it("limits", () => {
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
    expect(erf(Number.NaN)).toBeNaN();
    expect(erfc(30)).toBe(0);
  });
});

describe("log Bessel functions", () => {
  it("I_{ν−1}(x) = I_{ν+1}(x) + (2ν/x) I_ν(x), in log space", () => {
    fc.assert(
      fc.property(
        order(100).map((v) => v + 1),
        logUniform(-6, 4),
        (nu, x) => {
          const lhs = logBesselI(nu - 1, x);
          const rhs = logAddExp(logBesselI(nu + 1, x), Math.log((2 * nu) / x) + logBesselI(nu, x));
          return close(lhs, rhs, 1e-12, 1e-12);
        },
      ),
    );
  });

  it("K_{ν+1}(x) = K_{ν−1}(x) + (2ν/x) K_ν(x), in log space (K_{−ν} = K_ν)", () => {
    fc.assert(
      fc.property(order(100), logUniform(-6, 4), (nu, x) => {
        const lhs = logBesselK(nu + 1, x);
        const rhs = logAddExp(logBesselK(nu - 1, x), Math.log((2 * nu) / x) + logBesselK(nu, x));
        return close(lhs, rhs, 1e-12, 1e-12);
      }),
    );
  });

  it("Wronskian I_ν K_{ν+1} + I_{ν+1} K_ν = 1/x", () => {
    fc.assert(
      fc.property(order(600), logUniform(-8, 5), (nu, x) => {
        const li = logBesselI(nu, x);
        const lk = logBesselK(nu, x);
        const w = logAddExp(li + logBesselK(nu + 1, x), logBesselI(nu + 1, x) + lk);
        // log I and log K are each accurate relative to their own size, which can reach 1e5.
        return close(w, -Math.log(x), 0, 1e-14 * (1 + Math.abs(li) + Math.abs(lk)));
      }),
    );
  });

  it("d/dx log I_ν = I_{ν+1}/I_ν + ν/x and d/dx log K_ν = −K_{ν+1}/K_ν + ν/x (central differences)", () => {
    fc.assert(
      fc.property(order(300), logUniform(-4, 4), (nu, x) => {
        const h = 1e-4 * x;
        const dI = (logBesselI(nu, x + h) - logBesselI(nu, x - h)) / (2 * h);
        const dK = (logBesselK(nu, x + h) - logBesselK(nu, x - h)) / (2 * h);
        const wantI = Math.exp(logBesselI(nu + 1, x) - logBesselI(nu, x)) + nu / x;
        const wantK = -Math.exp(logBesselK(nu + 1, x) - logBesselK(nu, x)) + nu / x;
        return close(dI, wantI, 1e-6, 1e-9) && close(dK, wantK, 1e-6, 1e-9 * Math.abs(nu / x) + 1e-9);
      }),
    );
  });

  it("stays finite far outside the range of I and K themselves", () => {
    for (const nu of [0, 0.5, 3.7, 24.9, 25, 500, 5000]) {
      for (const x of [1e-300, 1e-10, 1, 1e5, 1e300]) {
        expect(Number.isFinite(logBesselI(nu, x)), `logBesselI(${nu}, ${x})`).toBe(true);
        expect(Number.isFinite(logBesselK(nu, x)), `logBesselK(${nu}, ${x})`).toBe(true);
      }
    }
    // Leading terms: I_ν(x) ~ (x/2)^ν/Γ(ν+1) as x → 0; K_0(x) ~ e^{−x}√(π/2x) as x → ∞.
    expect(close(logBesselI(500, 1e-10), 500 * Math.log(5e-11) - lgamma(501), 1e-15, 0)).toBe(true);
    expect(close(logBesselK(0.5, 1e5), 0.5 * Math.log(Math.PI / 2e5) - 1e5, 1e-15, 0)).toBe(true);
  });

  it("x = 0, symmetry in ν, NaN propagation", () => {
    expect(logBesselI(0, 0)).toBe(0);
    expect(logBesselI(2.5, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(logBesselK(0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(logBesselK(3, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(logBesselK(-2.3, 1.7)).toBe(logBesselK(2.3, 1.7));
    expect(logBesselI(-3, 1.7)).toBe(logBesselI(3, 1.7));
    expect(logBesselI(Number.NaN, 1)).toBeNaN();
    expect(logBesselI(1, Number.NaN)).toBeNaN();
    expect(logBesselK(Number.NaN, 1)).toBeNaN();
    expect(logBesselK(1, Number.NaN)).toBeNaN();
  });

  it("rejects x < 0 with a RangeError naming x and the value", () => {
    expect(() => logBesselI(1, -2)).toThrow(RangeError);
    expect(() => logBesselI(1, -2)).toThrow(/\bx\b.*-2/);
    expect(() => logBesselK(0.5, -1e-3)).toThrow(RangeError);
    expect(() => logBesselK(0.5, -1e-3)).toThrow(/\bx\b.*-0\.001/);
    expect(() => logBesselI(-2.5, 1)).toThrow(RangeError); // I_ν for negative non-integer ν
  });
});
