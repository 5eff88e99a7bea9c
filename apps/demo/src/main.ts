// `pnpm demo`: a guided tour that runs one real example per package and prints the results.
// Each package adds its section in ./sections; keep the whole tour under a minute.

import { bilevelSection } from "./sections/bilevel.js";
import { kernelsSection } from "./sections/kernels.js";
import { linalgSection } from "./sections/linalg.js";
import { neuralOdeSection } from "./sections/neural-ode.js";
import { otSection } from "./sections/ot.js";
import { secondOrderSection } from "./sections/second-order.js";
import { tensorSection } from "./sections/tensor.js";
import { verifySection } from "./sections/verify.js";

interface Section {
  title: string;
  run: () => string[];
}

const sections: Section[] = [
  tensorSection,
  linalgSection,
  otSection,
  secondOrderSection,
  kernelsSection,
  neuralOdeSection,
  verifySection,
  bilevelSection,
];

const t0 = performance.now();
console.log("@x — differentiable numerical methods for TypeScript\n");
for (const s of sections) {
  const start = performance.now();
  console.log(`━━ ${s.title} ━━`);
  for (const line of s.run()) console.log(`  ${line}`);
  console.log(`  (${((performance.now() - start) / 1000).toFixed(2)} s)\n`);
}
console.log(`tour finished in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
