import * as X from "@x/tensor";
import { arbCostMatrix, arbSimplex } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sinkhorn } from "../src/index.js";
import { expSumKernel, expSumKernelJs } from "../src/internal/exp-sum-wasm.js";

const relErr = (x: number, y: number) => (x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));

describe("exp-sum kernel (WebAssembly SIMD vs Math.exp)", () => {
  it("uses WebAssembly SIMD on this engine", () => {
    // Node ≥ 16.4 has SIMD128; if this fails the log-Sinkhorn speed-up silently disappears.
    expect(expSumKernel(new Float64Array(4), 2, 2, "wasm").backend).toBe("wasm");
    expect(expSumKernel(new Float64Array(4), 2, 2).backend).toBe("js"); // auto: too small to pay off
    expect(expSumKernel(new Float64Array(1024), 32, 32).backend).toBe("wasm");
  });

  it("row and column sums agree with the Math.exp loops to 1e-14 relative (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(1, 0.05, 1e-3),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (n1, n2, seed, reg, shift) => {
          const [k1, k2, k3] = X.split(X.rng(seed), 3) as [X.Key, X.Key, X.Key];
          const M = X.uniform(k1, [n1, n2], 0, 2).data;
          // Potentials around a common shift so that the exponents cover e^-700 … e^+50 with reg = 1e-3.
          const f = X.uniform(k2, [n1], shift * reg, shift * reg + 1).data;
          const g = X.uniform(k3, [n2], 0, 1).data;
          const inv = 1 / reg;
          const w = expSumKernel(M, n1, n2, "wasm");
          const j = expSumKernelJs(M, n1, n2);
          const [rw, rj] = [new Float64Array(n1), new Float64Array(n1)];
          const [cw, cj] = [new Float64Array(n2), new Float64Array(n2)];
          w.rowSums(f, g, inv, rw);
          j.rowSums(f, g, inv, rj);
          w.colSums(f, g, inv, cw);
          j.colSums(f, g, inv, cj);
          // Sums below 1e-280 or above 1e280 are recomputed by the caller with a max-shift.
          const inRange = (v: number) => v > 1e-280 && v < 1e280;
          rj.forEach((v, i) => {
            if (inRange(v)) expect(relErr(rw[i]!, v)).toBeLessThan(1e-14);
          });
          cj.forEach((v, i) => {
            if (inRange(v)) expect(relErr(cw[i]!, v)).toBeLessThan(1e-14);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it("fused row pass: column sums of the rescaled rows and the exp matrix agree between wasm and Math.exp (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(1, 0.05, 1e-2),
        (n1, n2, seed, reg) => {
          const [k1, k2, k3, k4] = X.split(X.rng(seed), 4) as [X.Key, X.Key, X.Key, X.Key];
          const M = X.uniform(k1, [n1, n2], 0, 2).data;
          const f = X.uniform(k2, [n1], 0, 1).data;
          const g = X.uniform(k3, [n2], 0, 1).data;
          const a = X.uniform(k4, [n1], 0.1, 1).data;
          const inv = 1 / reg;
          const cols = (k: ReturnType<typeof expSumKernelJs>) => {
            const out = new Float64Array(n2);
            const rows = new Float64Array(n1);
            k.rowSumsScaledCols(
              f,
              g,
              inv,
              (i, r) => {
                rows[i] = r;
                return a[i]! / r;
              },
              out,
            );
            return { out, rows };
          };
          const w = cols(expSumKernel(M, n1, n2, "wasm"));
          const j = cols(expSumKernelJs(M, n1, n2));
          // Definition: colOut_j = Σ_i (a_i / r_i)·exp((f_i + g_j − M_ij)/reg) with r_i the row sums.
          for (let jj = 0; jj < n2; jj++) {
            let want = 0;
            for (let i = 0; i < n1; i++)
              want += (a[i]! / j.rows[i]!) * Math.exp((f[i]! + g[jj]! - M[i * n2 + jj]!) * inv);
            expect(relErr(j.out[jj]!, want)).toBeLessThan(1e-13);
            expect(relErr(w.out[jj]!, want)).toBeLessThan(1e-13);
          }
          const [ew, ej] = [new Float64Array(n1 * n2), new Float64Array(n1 * n2)];
          expSumKernel(M, n1, n2, "wasm").expMatrix(f, g, inv, ew);
          expSumKernelJs(M, n1, n2).expMatrix(f, g, inv, ej);
          ej.forEach((v, i) => expect(relErr(ew[i]!, v)).toBeLessThan(1e-14));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("exponents below −708.4 contribute 0 and never NaN; padding of odd rows adds nothing", () => {
    const M = Float64Array.from([0, 1000, 2000, 0.5, 800, 3]);
    const w = expSumKernel(M, 2, 3, "wasm");
    const out = new Float64Array(2);
    w.rowSums(Float64Array.from([0, 0]), Float64Array.from([0, 0, 0]), 1, out);
    expect(relErr(out[0]!, 1)).toBeLessThan(1e-15);
    expect(relErr(out[1]!, Math.exp(-0.5) + Math.exp(-3))).toBeLessThan(1e-15);
    const col = new Float64Array(3);
    w.colSums(Float64Array.from([0, 0]), Float64Array.from([0, 0, 0]), 1, col);
    expect(relErr(col[0]!, 1 + Math.exp(-0.5))).toBeLessThan(1e-15);
    expect(col[1]).toBe(0); // e^-1000 + e^-800
    expect(relErr(col[2]!, Math.exp(-3))).toBeLessThan(1e-15); // e^-2000 + e^-3
  });

  it("log-Sinkhorn with the wasm kernel equals the Math.exp version to 1e-13 relative (property)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 8 })
          .chain((n1) =>
            fc
              .integer({ min: 1, max: 8 })
              .chain((n2) => fc.tuple(arbSimplex(n1, 0.02), arbSimplex(n2, 0.02), arbCostMatrix(n1, n2))),
          ),
        fc.constantFrom(1, 0.1, 0.01),
        ([a, b, M], reg) => {
          const o = { method: "log" as const, tol: 1e-10, maxIter: 3000 };
          const rw = sinkhorn(a, b, M, reg, { ...o, expBackend: "wasm" });
          const rj = sinkhorn(a, b, M, reg, { ...o, expBackend: "js" });
          expect(rw.iterations).toBe(rj.iterations);
          const scale = Math.max(...rj.plan.data);
          rj.plan.data.forEach((p, k) => expect(Math.abs(rw.plan.data[k]! - p)).toBeLessThanOrEqual(1e-13 * scale));
          expect(relErr(rw.cost, rj.cost)).toBeLessThan(1e-13);
          const fs = Math.max(1, ...rj.f.data.map(Math.abs));
          rj.f.data.forEach((v, i) => expect(Math.abs(rw.f.data[i]! - v)).toBeLessThan(1e-13 * fs));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("auto picks wasm on a 64×63 problem and matches the Math.exp solve to 1e-13", () => {
    const [k1, k2] = X.split(X.rng(5), 2) as [X.Key, X.Key];
    const M = X.div(
      X.sum(X.square(X.sub(X.expandDims(X.uniform(k1, [64, 2]), 1), X.expandDims(X.uniform(k2, [63, 2]), 0))), {
        axis: 2,
      }),
      2,
    );
    const o = { method: "log" as const, tol: 1e-9, maxIter: 5000 };
    const rw = sinkhorn([], [], M, 0.01, o);
    const rj = sinkhorn([], [], M, 0.01, { ...o, expBackend: "js" });
    expect(rw.converged).toBe(true);
    expect(rw.iterations).toBe(rj.iterations);
    expect(relErr(rw.cost, rj.cost)).toBeLessThan(1e-13);
    const scale = Math.max(...rj.plan.data);
    rj.plan.data.forEach((p, k) => expect(Math.abs(rw.plan.data[k]! - p)).toBeLessThanOrEqual(1e-13 * scale));
  });

  it("rejects an unknown expBackend", () => {
    expect(() => sinkhorn([], [], [[0]], 1, { method: "log", expBackend: "gpu" as "js" })).toThrow(
      /expBackend must be/,
    );
  });
});
