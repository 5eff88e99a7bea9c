// kernels page: exact GP regression (Cholesky posterior) with the chosen kernel and hyperparameters, or
// with the hyperparameters that maximise the log marginal likelihood (L-BFGS, when "fit" is on).
import * as K from "@x/kernels";
import * as X from "@x/tensor";
import type { Compute } from "../protocol.js";
import { gpData, makeKernel } from "./gp-data.js";

export interface GpResult {
  x: number[];
  y: number[];
  grid: number[];
  mean: number[];
  sd: number[];
  lml: number;
  hyper: Record<string, number | number[]>;
  noise: number;
  fit?: { iterations: number; converged: boolean; history: number[] };
}

export const GRID = Array.from({ length: 201 }, (_, i) => -0.5 + (11 * i) / 200);

export const compute: Compute = (params, progress) => {
  const { x, y } = gpData(Number(params.n), Number(params.seed));
  const xs = x.map((v) => [v]);
  let kernel = makeKernel(String(params.kernel), Number(params.lengthscale), Number(params.variance));
  let noise = Number(params.noise);
  let fit: GpResult["fit"];
  if (params.fit === true) {
    progress(0.1, "maximising the log marginal likelihood (L-BFGS)");
    const r = K.fitGp(kernel, xs, y, { noise });
    kernel = r.kernel;
    noise = r.noise;
    fit = { iterations: r.iterations, converged: r.converged, history: r.history };
  }
  progress(0.7, "posterior");
  const post = K.gpPosterior(kernel, xs, y, { noise });
  const pred = post.predict(GRID.map((v) => [v]));
  const lml = K.logMarginalLikelihood(kernel, xs, y, { noise }).item();
  return {
    x,
    y,
    grid: GRID,
    mean: Array.from(pred.mean.data),
    sd: Array.from(X.sqrt(X.maximum(pred.variance, 0)).data),
    lml,
    hyper: kernel.hyperparameters(),
    noise,
    ...(fit ? { fit } : {}),
  } satisfies GpResult;
};
