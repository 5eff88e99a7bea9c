// Every playground page in headless Chromium: it loads without console errors, runs its computation in
// the worker, shows the numbers the library computes in Node for the same inputs, and is screenshotted
// to test-results/<page>.png. One tab visits the pages in turn (hash navigation, like a user clicking the
// nav), so the app and its worker load once.
import * as K from "@x/kernels";
import * as L from "@x/linalg";
import { solveIvp } from "@x/neural-ode";
import * as OT from "@x/ot";
import * as X from "@x/tensor";
import * as V from "@x/verify";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { descend } from "../src/compute/bilevel.js";
import { ridgeData } from "../src/compute/bilevel-data.js";
import { gpData, makeKernel } from "../src/compute/gp-data.js";
import { mlpData, mlpLoss } from "../src/compute/mlp.js";
import { odeOptions, span, vanDerPol, Y0 } from "../src/compute/ode-problem.js";
import { SINKHORN_OPTIONS } from "../src/compute/ot.js";
import { otClouds } from "../src/compute/ot-data.js";
import { train } from "../src/compute/second-order.js";
import { box, robustness, verifyNet } from "../src/compute/verify-net.js";
import {
  buildDist,
  launchChromium,
  openPage,
  screenshot,
  serveDist,
  setControl,
  summary,
  waitRuns,
} from "./harness.js";

const launched = await launchChromium();
if (launched.reason) console.warn(`playground browser tests skipped: ${launched.reason}`);
const skip = launched.reason !== undefined;
const why = launched.reason ? ` (skipped: ${launched.reason})` : "";

let server: Awaited<ReturnType<typeof serveDist>> | undefined;
let tab: Page;
let errors: string[] = [];

beforeAll(async () => {
  if (skip) return;
  await buildDist();
  server = await serveDist();
  ({ page: tab, errors } = await openPage(launched.browser!));
}, 180_000);

afterAll(async () => {
  await launched.close();
  await server?.close();
});

afterEach(() => {
  errors.length = 0;
});

const runs = () => tab.evaluate(() => Number(document.body.dataset.runs ?? 0));

/** Opens `#hash` (loading the app on first use) and waits for the page's first run to finish. */
async function visit(hash: string): Promise<void> {
  const id = hash.split("?")[0]!;
  if (!tab.url().startsWith("http")) await tab.goto(`${server!.url}#${hash}`);
  else
    await tab.evaluate((h) => {
      location.hash = h;
    }, hash);
  // the run counter restarts at 0 on every page visit
  await tab.waitForFunction((p) => document.querySelector<HTMLElement>("#page")?.dataset.page === p, id);
  await waitRuns(tab, 1);
  // the backend switch and the timing readout are part of every page
  expect(await tab.locator("#backend").isVisible()).toBe(true);
  expect(Number(await tab.getAttribute("#timing", "data-ms"))).toBeGreaterThan(0);
}

/** Applies control changes (as a user would) and waits for the run they trigger. */
async function change(controls: Record<string, string | number>): Promise<void> {
  const before = await runs();
  for (const [k, v] of Object.entries(controls)) await setControl(tab, k, v);
  await waitRuns(tab, before + 1);
}

function cgIterations(n: number, tol: number, omega: number): Record<string, number> {
  const A = L.poisson2d(n);
  const b = X.ones([n * n]);
  return {
    none: L.pcg(A, b, { tol }).iterations,
    Jacobi: L.pcg(A, b, { tol, M: L.jacobi(A) }).iterations,
    SSOR: L.pcg(A, b, { tol, M: L.ssorPreconditioner(A, omega) }).iterations,
    "IC(0)": L.pcg(A, b, { tol, M: L.ic0(A) }).iterations,
  };
}

describe("playground pages in headless Chromium", () => {
  it.skipIf(skip)(
    `linalg: CG iteration counts equal Node's; n is a control; a long run is cancelled${why}`,
    async () => {
      await visit("linalg?n=32");
      const shown = await summary(tab);
      const want = cgIterations(32, 1e-8, 1.5);
      for (const [m, it] of Object.entries(want)) expect(Number(shown[`iters-${m}`]), m).toBe(it);
      expect(want["IC(0)"]!).toBeLessThan(want.none!);
      expect(Number(shown.unknowns)).toBe(32 * 32);
      // one residual curve per preconditioner
      expect(await tab.locator("#plot svg [aria-label='line'] path").count()).toBe(4);
      await screenshot(tab, "linalg");

      // a long run can be cancelled; the page stays responsive and runs again afterwards
      await setControl(tab, "tol", -12);
      await setControl(tab, "n", 128);
      await tab.waitForFunction(() => /iteration/.test(document.querySelector("#status-text")?.textContent ?? ""));
      await tab.click("#cancel");
      await tab.waitForFunction(() => document.body.dataset.status === "cancelled");
      await change({ n: 16 });
      const after = await summary(tab);
      for (const [m, it] of Object.entries(cgIterations(16, 1e-12, 1.5)))
        expect(Number(after[`iters-${m}`]), m).toBe(it);
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(skip)(
    `ot: EMD and Sinkhorn costs equal Node's for the same seeded clouds; gpujs on WebGL${why}`,
    async () => {
      await visit("ot?n=30");
      const emdCost = (n: number, seed: number) => {
        const { xs, ys } = otClouds(n, seed);
        return OT.emd(undefined, undefined, OT.dist(xs, ys)).cost;
      };
      const sinkhorn = (n: number, seed: number, eps: number) => {
        const { xs, ys } = otClouds(n, seed);
        return OT.sinkhorn(undefined, undefined, OT.dist(xs, ys), eps, SINKHORN_OPTIONS);
      };
      const shown = await summary(tab);
      expect(Number(shown["emd-cost"])).toBeCloseTo(emdCost(30, 7), 10);
      const s = sinkhorn(30, 7, 0.1);
      expect(Number(shown["sinkhorn-cost"])).toBeCloseTo(s.cost, 10);
      expect(Number(shown["sinkhorn-iterations"])).toBe(s.iterations);
      expect(s.cost).toBeGreaterThanOrEqual(emdCost(30, 7) - 1e-9);
      // an optimal vertex of the transport polytope has at most n1 + n2 − 1 non-zeros; one link is drawn per non-zero
      expect(Number(shown["emd-links"])).toBeLessThanOrEqual(59);
      expect(await tab.locator("#plot svg [aria-label='link']").first().locator("> *").count()).toBe(
        Number(shown["emd-links"]),
      );
      await screenshot(tab, "ot");

      // on gpujs (float32 on WebGL2) the cost matrix is rounded: the costs agree with float64 to float32 accuracy
      await tab.selectOption("#backend", "gpujs");
      await change({ seed: 3, eps: 0 });
      const mode = await tab.getAttribute("#mode", "data-mode");
      console.log(`ot page on gpujs: mode ${mode}, ${await tab.textContent("#timing")}`);
      expect(["webgl2", "webgl"]).toContain(mode);
      expect(Number(await tab.getAttribute("#timing", "data-ms"))).toBeGreaterThan(0);
      const gpu = await summary(tab);
      expect(Math.abs(Number(gpu["emd-cost"]) - emdCost(30, 3))).toBeLessThan(1e-4 * emdCost(30, 3));
      const s1 = sinkhorn(30, 3, 1).cost;
      expect(Math.abs(Number(gpu["sinkhorn-cost"]) - s1)).toBeLessThan(1e-4 * s1);
      await tab.selectOption("#backend", "cpu");
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(skip)(`neural-ode: step counts, f evaluations and end states equal Node's solveIvp${why}`, async () => {
    await visit("neural-ode");
    const check = async (mu: number, rtol: number, methods: string[]) => {
      const shown = await summary(tab);
      for (const m of methods) {
        const r = solveIvp(vanDerPol, span(mu), Y0, odeOptions(m, mu, rtol));
        expect(Number(shown[`steps-${m}`]), m).toBe(r.stats.accepted);
        expect(Number(shown[`nfev-${m}`]), m).toBe(r.stats.nfev);
        expect(Number(shown[`yend-${m}`])).toBeCloseTo(r.yEnd[0]!, 8);
      }
    };
    await check(10 ** 1.5, 1e-4, ["tsit5", "rodas4"]);
    // one marker per accepted step (both solvers take fewer than the 2500 drawn at most): in the phase portrait
    // (plus the initial state of each run) and in the step-size plot
    const shown = await summary(tab);
    const steps = Number(shown["steps-tsit5"]) + Number(shown["steps-rodas4"]);
    // stiff at μ ≈ 31.6: the stiff method needs far fewer steps than the explicit one
    expect(Number(shown["steps-rodas4"]) * 2).toBeLessThan(Number(shown["steps-tsit5"]));
    const dots = tab.locator("#plot svg [aria-label='dot']");
    expect(await dots.nth(0).locator("circle").count()).toBe(steps + 2);
    expect(await dots.nth(1).locator("circle").count()).toBe(steps);
    await screenshot(tab, "neural-ode");
    await change({ mu: 0, explicit: "dopri5", stiff: "trbdf2" });
    await check(1, 1e-4, ["dopri5", "trbdf2"]);
    expect(errors).toEqual([]);
  });

  it.skipIf(skip)(`kernels: GP log marginal likelihood and posterior mean equal Node's; fitted too${why}`, async () => {
    await visit("kernels");
    const { x, y } = gpData(25, 3);
    const xs = x.map((v) => [v]);
    const kernel = makeKernel("rbf", 10 ** -0.3, 1);
    const noise = 10 ** -2;
    let shown = await summary(tab);
    const lml0 = K.logMarginalLikelihood(kernel, xs, y, { noise }).item();
    expect(Number(shown.lml)).toBeCloseTo(lml0, 9);
    const mean5 = K.gpPosterior(kernel, xs, y, { noise })
      .predict([[5]])
      .mean.item();
    expect(Number(shown["mean-5"])).toBeCloseTo(mean5, 9);
    expect(await tab.locator("#plot svg [aria-label='area']").count()).toBe(1);
    await screenshot(tab, "kernels");

    const before = await runs();
    await tab.check("#ctl-fit");
    await waitRuns(tab, before + 1);
    shown = await summary(tab);
    const fit = K.fitGp(kernel, xs, y, { noise });
    expect(Number(shown.lml)).toBeCloseTo(fit.logMarginalLikelihood, 6);
    expect(Number(shown["hyper-lengthscale"])).toBeCloseTo(fit.kernel.hyperparameters().lengthscale as number, 6);
    // maximum likelihood never lowers the likelihood of its starting point
    expect(fit.logMarginalLikelihood).toBeGreaterThanOrEqual(lml0);
    await screenshot(tab, "kernels-fit");
    expect(errors).toEqual([]);
  });

  it.skipIf(skip)(
    `verify: IBP/CROWN/α-CROWN intervals and the BaB verdict equal Node's and are sound${why}`,
    async () => {
      await visit("verify?eps=-0.5");
      const eps = 10 ** -0.5;
      const shown = await summary(tab);
      const net = verifyNet(4);
      for (const method of ["ibp", "crown", "alpha-crown"] as const) {
        const r = V.computeBounds(net, box(eps), { method, iterations: 20 });
        for (let j = 0; j < 3; j++) {
          const [lo, hi] = shown[`${method}-${j}`]!.split(",").map(Number);
          expect(lo).toBeCloseTo(r.lower.data[j]!, 10);
          expect(hi).toBeCloseTo(r.upper.data[j]!, 10);
        }
      }
      const v = V.verify(net, robustness(net, eps).property, { timeout: 10 });
      expect(shown["bab-status"]).toBe(v.status);
      expect(Number(shown["bab-domains"])).toBe(v.stats.domains);
      // the intervals shown are sound: outputs at seeded points of the box lie inside every one of them
      const u = X.uniform(X.rng(99), [200, 2], -eps, eps).toArray() as number[][];
      for (const [a, b] of u) {
        const out = V.forward(net, [0.3 + a!, -0.2 + b!]);
        for (const method of ["ibp", "crown", "alpha-crown"])
          for (let j = 0; j < 3; j++) {
            const [lo, hi] = shown[`${method}-${j}`]!.split(",").map(Number);
            expect(out[j]!).toBeGreaterThanOrEqual(lo! - 1e-12);
            expect(out[j]!).toBeLessThanOrEqual(hi! + 1e-12);
          }
      }
      // 400 sampled outputs drawn for each of the 3 outputs
      expect(await tab.locator("#plot svg [aria-label='dot'] circle").count()).toBe(1200);
      await screenshot(tab, "verify");
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(skip)(
    `bilevel: hypergradient descent paths of λ equal Node's; ∇F(λ₀) equals the closed form${why}`,
    async () => {
      await visit("bilevel?steps=4");
      const shown = await summary(tab);
      const p = ridgeData(1);
      for (const method of ["implicit", "unrolled"] as const) {
        const path = descend(p, method, 7, 10 ** -1.3, 4, 10);
        expect(Number(shown[`lambda-${method}`]), method).toBeCloseTo(path.at(-1)!.lambda, 8);
        expect(Number(shown[`value-${method}`]), method).toBeCloseTo(path.at(-1)!.value, 6);
      }
      const exact = p.closedForm([7]).grad.data[0]!;
      expect(Number(shown["grad0-closed"])).toBeCloseTo(exact, 10);
      expect(Math.abs(Number(shown["grad0-implicit"]) - exact)).toBeLessThan(1e-6 * Math.abs(exact));
      // descent lowers the validation loss
      expect(Number(shown["value-implicit"])).toBeLessThan(p.closedForm([7]).value);
      await screenshot(tab, "bilevel");
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(skip)(
    `second-order: loss and sharpness λ_max equal Node's; λ_max(θ₀) equals the dense Hessian's${why}`,
    async () => {
      await visit("second-order?steps=50&every=25");
      const shown = await summary(tab);
      const r = train(0.185, 50, 25, 1);
      expect(Number(shown["final-loss"])).toBeCloseTo(r.loss.at(-1)!.loss, 10);
      expect(Number(shown["lambda-0"])).toBeCloseTo(r.sharpness[0]!.lambdaMax, 8);
      expect(Number(shown["lambda-max"])).toBeCloseTo(r.sharpness.at(-1)!.lambdaMax, 8);
      // Lanczos' λ_max at θ₀ is the top eigenvalue of the dense 49 × 49 Hessian
      const { x, y, theta0 } = mlpData(1);
      const dense = L.eigvalsh(X.hessian(mlpLoss(x, y))(theta0)).data;
      expect(Number(shown["lambda-0"])).toBeCloseTo(Math.max(...dense), 6);
      expect(Number(shown.threshold)).toBeCloseTo(2 / 0.185, 10);
      expect(await tab.locator("#plot svg [aria-label='line']").count()).toBe(2);
      await screenshot(tab, "second-order");
      expect(errors).toEqual([]);
    },
  );
});
