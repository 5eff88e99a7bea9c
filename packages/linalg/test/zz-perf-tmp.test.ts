import { add, mT, mul, normal, rng } from "@x/tensor";
import { it } from "vitest";
import { eig } from "../src/dense/eig.js";
import { eigh } from "../src/dense/eigh.js";
import { svd, svdvals } from "../src/dense/svd.js";

it("perf", () => {
  for (const n of [100, 300, 500]) {
    const a = normal(rng(1), [n, n]);
    const s = mul(0.5, add(a, mT(a)));
    const t = (f: () => unknown) => {
      const t0 = performance.now();
      f();
      return (performance.now() - t0).toFixed(0);
    };
    t(() => eigh(s));
    console.log((globalThis as any).__sweeps); console.log(n, "eigh", t(() => eigh(mul(1, s))), "ms; svd", t(() => svd(mul(1, a))), "ms; svdvals", t(() => svdvals(mul(1, a))), "ms; eig", t(() => eig(a)), "ms");
  }
}, 120000);
