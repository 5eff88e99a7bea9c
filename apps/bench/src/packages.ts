// Package benchmarks (one file per package), run after the core sections.

import { benchBilevel, bilevelMarkdown } from "./bilevel.js";
import { benchKernels, kernelsMarkdown } from "./kernels.js";
import { benchNeuralOde, neuralOdeMarkdown } from "./neural-ode.js";
import { benchOt, otMarkdown } from "./ot.js";
import { benchSecondOrder, secondOrderMarkdown } from "./second-order.js";
import type { Section } from "./sections.js";
import { benchVerify, verifyMarkdown } from "./verify.js";

export const packageSections: Section[] = [
  { name: "ot", title: "@x/ot vs its peers", run: benchOt, markdown: otMarkdown },
  { name: "second-order", title: "@x/second-order vs its peers", run: benchSecondOrder, markdown: secondOrderMarkdown },
  { name: "kernels", title: "@x/kernels vs its peers", run: benchKernels, markdown: kernelsMarkdown },
  { name: "neural-ode", title: "@x/neural-ode vs its peers", run: benchNeuralOde, markdown: neuralOdeMarkdown },
  { name: "verify", title: "@x/verify vs its peers", run: benchVerify, markdown: verifyMarkdown },
  { name: "bilevel", title: "@x/bilevel vs its peers", run: benchBilevel, markdown: bilevelMarkdown },
];
