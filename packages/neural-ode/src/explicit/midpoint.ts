// Explicit midpoint rule (Runge 1895): order 2, fixed step; the Euler predictor gives a first-order error estimate.
import type { ButcherTableau } from "./tableau.js";

export const midpoint: ButcherTableau = {
  name: "midpoint",
  order: 2,
  embeddedOrder: 1,
  stages: 2,
  c: [0, 0.5],
  a: [[], [0.5]],
  b: [0, 1],
  e: [-1, 1, 0],
  denseOrder: 2,
};
