// The classical fourth-order Runge–Kutta method (Kutta 1901): fixed step, no embedded estimate.
import type { ButcherTableau } from "./tableau.js";

export const rk4: ButcherTableau = {
  name: "rk4",
  order: 4,
  embeddedOrder: 0,
  stages: 4,
  c: [0, 0.5, 0.5, 1],
  a: [[], [0.5], [0, 0.5], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  // Cubic Hermite through the end points: interpolation error O(h⁴), the method's order.
  denseOrder: 4,
};
