// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x.
import { Softplus } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const softplusKernel = unaryKernel(Softplus, (x) =>
  x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)),
);
