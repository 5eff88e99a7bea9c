// The pages of the playground, one per package whose API is ready.
import type { PageDef } from "../page.js";
import { bilevelPage } from "./bilevel.js";
import { kernelsPage } from "./kernels.js";
import { linalgPage } from "./linalg.js";
import { neuralOdePage } from "./neural-ode.js";
import { otPage } from "./ot.js";
import { secondOrderPage } from "./second-order.js";
import { verifyPage } from "./verify.js";

export const pages: PageDef[] = [
  linalgPage,
  otPage,
  neuralOdePage,
  kernelsPage,
  verifyPage,
  bilevelPage,
  secondOrderPage,
];
