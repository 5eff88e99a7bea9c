// Heun's method (explicit trapezoid, Heun 1900): order 2 with embedded Euler (Heun–Euler pair).
import type { ButcherTableau } from "./tableau.js";

export const heun: ButcherTableau = {
  name: "heun",
  order: 2,
  embeddedOrder: 1,
  stages: 2,
  c: [0, 1],
  a: [[], [1]],
  b: [0.5, 0.5],
  e: [-0.5, 0.5, 0],
  denseOrder: 2,
};
