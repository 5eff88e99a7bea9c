import * as L from "@x/linalg";
import * as X from "@x/tensor";
import { expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  inverseMultiquadric,
  type Kernel,
  laplace,
  linear,
  matern,
  periodic,
  polynomial,
  productKernel,
  rationalQuadratic,
  rbf,
  scaleKernel,
  spectralMixture,
  sumKernel,
} from "../src/index.js";
import gram from "./fixtures/gram.json";

type Case = { name: string; params: Record<string, number | number[]>; K: number[][] };

function build(c: Case): Kernel {
  const p = c.params as Record<string, never>;
  switch (c.name) {
    case "rbf":
      return rbf(p);
    case "matern":
      return matern(p);
    case "rationalQuadratic":
      return rationalQuadratic(p);
    case "periodic":
      return periodic(p);
    case "linear":
      return linear(p);
    case "laplace":
      return laplace(p);
    case "polynomial":
      return polynomial(p);
    default:
      throw new Error(c.name);
  }
}

describe("Gram matrices vs scikit-learn", () => {
  for (const c of gram.cases as unknown as Case[]) {
    it(`${c.name} ${JSON.stringify(c.params)}`, () => {
      const k = build(c);
      expectClose(k.k(gram.X, gram.Y), c.K, { rtol: 1e-10, atol: 1e-12 });
      // The diagonal agrees with the Gram diagonal.
      const G = k.k(gram.X);
      expectClose(
        k.diag(gram.X),
        Array.from({ length: 6 }, (_, i) => G.data[i * 7]!),
        { rtol: 1e-10, atol: 1e-12 },
      );
    });
  }
});

const zoo = (d: number): [string, Kernel][] => [
  ["rbf ARD", rbf({ lengthscale: Array.from({ length: d }, (_, i) => 0.6 + 0.3 * i), variance: 1.3 })],
  ["matern ½", matern({ nu: 0.5, lengthscale: 0.9 })],
  ["matern 3/2", matern({ nu: 1.5, lengthscale: 1.2 })],
  ["matern 5/2", matern({ nu: 2.5, lengthscale: 0.8, variance: 2 })],
  ["matern 1.3", matern({ nu: 1.3, lengthscale: 1.1 })],
  ["rational quadratic", rationalQuadratic({ lengthscale: 0.7, alpha: 2 })],
  ["periodic", periodic({ lengthscale: 1.1, period: 1.7 })],
  ["linear", linear({ variance: 0.5, bias: 0.3 })],
  ["polynomial", polynomial({ degree: 2, gamma: 0.5, coef0: 1 })],
  ["laplace", laplace({ lengthscale: 1.5 })],
  ["inverse multiquadric", inverseMultiquadric({ lengthscale: 0.8 })],
  [
    "spectral mixture",
    spectralMixture({
      weights: [0.7, 0.4],
      means: [Array(d).fill(0.3), Array(d).fill(0.8)],
      variances: [Array(d).fill(0.2), Array(d).fill(0.05)],
    }),
  ],
  ["sum", sumKernel(rbf({ lengthscale: 0.5 }), linear({ variance: 0.2 }))],
  ["product", productKernel(matern({ nu: 1.5 }), periodic({ period: 2 }))],
  ["scale", scaleKernel(rationalQuadratic(), 3)],
];

const arbPoints = (n: number, d: number) =>
  fc
    .array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * d, maxLength: n * d })
    .map((v) => X.tensor(v, [n, d]));

describe("kernel properties", () => {
  it("Gram matrices are symmetric positive semidefinite (min eig ≥ −1e-9·scale)", () => {
    fc.assert(
      fc.property(arbPoints(6, 2), (x) => {
        for (const [name, k] of zoo(2)) {
          // exp-sine-squared of the Euclidean distance is PSD in 1-D only (an RBF of t ↦ (cos, sin)(2πt/p)); in 2-D
          // it is not (seed 202 finds min eig −1e-9 even for the exactly computed Gram), so those kernels see column 0.
          const G = /periodic|product/.test(name)
            ? k.k(
                X.slice(x, [
                  [0, 6],
                  [0, 1],
                ]),
              )
            : k.k(x);
          const sym = X.max(X.abs(X.sub(G, X.transpose(G)))).item();
          const scale = Math.max(1, X.max(X.abs(G)).item());
          expect(sym, name).toBeLessThanOrEqual(1e-12 * scale);
          const lmin = L.eigvalsh(G).data[0]!;
          expect(lmin, name).toBeGreaterThanOrEqual(-1e-9 * scale);
        }
      }),
      { numRuns: 10 },
    );
  });

  it("combinators obey their definitions", () => {
    fc.assert(
      fc.property(arbPoints(4, 2), arbPoints(3, 2), fc.double({ min: 0.1, max: 5, noNaN: true }), (x, y, c) => {
        const a = rbf({ lengthscale: [0.7, 1.4] });
        const b = matern({ nu: 2.5, lengthscale: 0.9 });
        expectClose(sumKernel(a, b).k(x, y), X.add(a.k(x, y), b.k(x, y)), { rtol: 1e-12, atol: 1e-14 });
        expectClose(productKernel(a, b).k(x, y), X.mul(a.k(x, y), b.k(x, y)), { rtol: 1e-12, atol: 1e-14 });
        expectClose(scaleKernel(a, c).k(x, y), X.mul(c, a.k(x, y)), { rtol: 1e-12, atol: 1e-14 });
        expectClose(sumKernel(a, b).diag(x), X.add(a.diag(x), b.diag(x)), { rtol: 1e-12, atol: 1e-14 });
      }),
    );
  });

  it("general-ν Matérn matches the closed forms at ν = 3/2 and 5/2 (ν ± 1e-9)", () => {
    fc.assert(
      fc.property(arbPoints(4, 2), (x) => {
        for (const nu of [1.5, 2.5]) {
          const exact = matern({ nu, lengthscale: 0.8 }).k(x);
          const general = matern({ nu: nu + 1e-9, lengthscale: 0.8 }).k(x);
          expectClose(general, exact, { rtol: 1e-7, atol: 1e-9 });
        }
      }),
      { numRuns: 20 },
    );
  });

  it("gradients w.r.t. hyperparameters and inputs match finite differences", () => {
    const x = X.normal(X.rng(3), [5, 2]);
    const y = X.normal(X.rng(4), [3, 2]);
    const w = X.normal(X.rng(5), [5, 3]);
    for (const [name, k] of zoo(2)) {
      for (const key of Object.keys(k.params)) {
        const f = (v: X.Tensor) => X.sum(X.mul(w, k.evaluate({ ...k.params, [key]: v }, x, y)));
        const r = gradCheck(f, k.params[key]!, { rtol: 1e-5, atol: 1e-7 });
        expect(r.ok, `${name} ${key}: ${r.details}`).toBe(true);
      }
      if (name !== "laplace") {
        const r = gradCheck((v: X.Tensor) => X.sum(X.mul(w, k.evaluate(k.params, v, y))), x, {
          rtol: 1e-5,
          atol: 1e-7,
        });
        expect(r.ok, `${name} inputs: ${r.details}`).toBe(true);
      }
    }
  });

  it("withParams round-trips and hyperparameters() reports constrained values", () => {
    const k = rbf({ lengthscale: [0.5, 2], variance: 3 });
    const h = k.hyperparameters();
    expectClose(h.lengthscale as number[], [0.5, 2]);
    expectClose([h.variance as number], [3]);
    const k2 = k.withParams({ ...k.params, logVariance: X.tensor(0) });
    expectClose([k2.diag([[1, 1]]).item()], [1]);
  });
});

describe("bad input", () => {
  it("rejects non-positive hyperparameters", () => {
    expect(() => rbf({ lengthscale: 0 })).toThrow(X.ValueError);
    expect(() => rbf({ lengthscale: [1, -1] })).toThrow(/lengthscale must be finite and > 0/);
    expect(() => matern({ variance: -1 })).toThrow(/variance/);
    expect(() => matern({ nu: 0 })).toThrow(/nu/);
    expect(() => rationalQuadratic({ alpha: Number.NaN })).toThrow(/alpha/);
    expect(() => periodic({ period: 0 })).toThrow(/period/);
    expect(() => polynomial({ degree: 1.5 })).toThrow(/degree/);
    expect(() => linear({ bias: -1 })).toThrow(/bias/);
    expect(() => inverseMultiquadric({ beta: 1 })).toThrow(/beta/);
    expect(() => scaleKernel(rbf(), 0)).toThrow(/scale/);
  });
  it("rejects mismatched feature dimensions and empty inputs", () => {
    expect(() => rbf().k([[1, 2]], [[1, 2, 3]])).toThrow(X.ShapeError);
    expect(() => rbf({ lengthscale: [1, 2] }).k([[1, 2, 3]])).toThrow(/ARD lengthscales/);
    expect(() => rbf().k(X.zeros([0, 2]))).toThrow(/n = 0/);
    expect(() => spectralMixture({ weights: [1], means: [[1, 2]], variances: [[1]] })).toThrow(X.ShapeError);
  });
});
