// Bogacki–Shampine 3(2) pair (Bogacki & Shampine 1989), FSAL; dense output is the cubic Hermite interpolant
// (SciPy RK23's P matrix), order 3.
import type { ButcherTableau } from "./tableau.js";

const P = [
  [1, -4 / 3, 5 / 9],
  [0, 1, -2 / 3],
  [0, 4 / 3, -8 / 9],
  [0, -1, 1],
];

export const bosh3: ButcherTableau = {
  name: "bosh3",
  order: 3,
  embeddedOrder: 2,
  stages: 3,
  c: [0, 1 / 2, 3 / 4],
  a: [[], [1 / 2], [0, 3 / 4]],
  b: [2 / 9, 1 / 3, 4 / 9],
  e: [5 / 72, -1 / 12, -1 / 9, 1 / 8],
  dense: (theta, w) => {
    for (let i = 0; i < 4; i++) {
      const p = P[i]!;
      w[i] = theta * (p[0]! + theta * (p[1]! + theta * p[2]!));
    }
  },
  denseOrder: 3,
};
