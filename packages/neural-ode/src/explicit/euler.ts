// Forward Euler (Euler 1768): order 1, fixed step.
import type { ButcherTableau } from "./tableau.js";

export const euler: ButcherTableau = {
  name: "euler",
  order: 1,
  embeddedOrder: 0,
  stages: 1,
  c: [0],
  a: [[]],
  b: [1],
  denseOrder: 1,
};
