// verify page: IBP, CROWN and α-CROWN output bounds over the box, seeded samples of the true outputs,
// and branch and bound on the robustness property with its progress.

import * as X from "@x/tensor";
import * as V from "@x/verify";
import type { Compute } from "../protocol.js";
import { box, robustness, verifyNet, X0 } from "./verify-net.js";

export const METHODS: V.BoundMethod[] = ["ibp", "crown", "alpha-crown"];

export interface VerifyPageResult {
  eps: number;
  c: number;
  bounds: { method: string; lower: number[]; upper: number[]; ms: number }[];
  samples: number[][];
  bab: { status: string; domains: number; time: number; reason?: string; progress: { t: number; domains: number }[] };
}

export const compute: Compute = (params, progress) => {
  // bounds are certificates: always float64, whatever backend the page selected
  X.setBackend("cpu");
  const eps = Number(params.eps);
  const net = verifyNet(Number(params.seed));
  const b = box(eps);
  const bounds = METHODS.map((method, k) => {
    progress(0.05 + 0.1 * k, `${method} bounds`);
    const t0 = performance.now();
    const r = V.computeBounds(net, b, { method, iterations: Number(params.alphaIters) });
    return { method, lower: Array.from(r.lower.data), upper: Array.from(r.upper.data), ms: performance.now() - t0 };
  });
  const u = X.uniform(X.rng(1), [400, 2], -eps, eps).toArray() as number[][];
  const samples = u.map(([a, c]) => Array.from(V.forward(net, [X0[0]! + a!, X0[1]! + c!])));
  progress(0.4, "branch and bound");
  const { property, c } = robustness(net, eps);
  const trace: { t: number; domains: number }[] = [{ t: 0, domains: 0 }];
  const r = V.verify(net, property, {
    timeout: Number(params.timeout),
    onProgress: (p) => {
      trace.push({ t: p.elapsed, domains: p.domains });
      progress(
        0.4 + 0.6 * Math.min(p.elapsed / Number(params.timeout), 1),
        `BaB: ${p.domains} domains, ${p.elapsed.toFixed(1)} s`,
      );
    },
  });
  trace.push({ t: r.stats.time, domains: r.stats.domains });
  return {
    eps,
    c,
    bounds,
    samples,
    bab: {
      status: r.status,
      domains: r.stats.domains,
      time: r.stats.time,
      ...(r.stats.reason ? { reason: r.stats.reason } : {}),
      progress: trace,
    },
  } satisfies VerifyPageResult;
};
