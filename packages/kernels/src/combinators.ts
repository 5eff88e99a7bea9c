// Kernel algebra: sums and products of positive-definite kernels are positive definite, and so is a
// positive multiple (Schur product theorem; Rasmussen & Williams 2006, §4.2.4). Child parameters keep
// their names under the prefixes "k1/", "k2/" (sum, product) or "base/" (scale).
import { add, asTensor, exp, mul, type Tensor } from "@x/tensor";
import { checkParams, Kernel, logPositive, type Params, prefixParams, subParams } from "./kernel.js";

abstract class BinaryKernel extends Kernel {
  constructor(
    readonly k1: Kernel,
    readonly k2: Kernel,
    params?: Params,
  ) {
    super(params ?? { ...prefixParams(k1.params, "k1"), ...prefixParams(k2.params, "k2") });
  }
  abstract combine(a: Tensor, b: Tensor): Tensor;
  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    return this.combine(
      this.k1.evaluate(subParams(params, "k1"), x, y),
      this.k2.evaluate(subParams(params, "k2"), x, y),
    );
  }
  evaluateDiag(params: Params, x: Tensor): Tensor {
    return this.combine(
      this.k1.evaluateDiag(subParams(params, "k1"), x),
      this.k2.evaluateDiag(subParams(params, "k2"), x),
    );
  }
  withParams(params: Params): Kernel {
    const p = checkParams(this.params, params, `${this.name}.withParams`);
    const Ctor = this.constructor as new (a: Kernel, b: Kernel) => BinaryKernel;
    return new Ctor(this.k1.withParams(subParams(p, "k1")), this.k2.withParams(subParams(p, "k2")));
  }
}

export class SumKernel extends BinaryKernel {
  readonly name = "sum";
  combine(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
}

export class ProductKernel extends BinaryKernel {
  readonly name = "product";
  combine(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
}

export class ScaleKernel extends Kernel {
  readonly name = "scale";
  constructor(
    readonly base: Kernel,
    logScale: Tensor,
  ) {
    super({ logScale: asTensor(logScale), ...prefixParams(base.params, "base") });
  }
  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    return mul(exp(params.logScale!), this.base.evaluate(subParams(params, "base"), x, y));
  }
  evaluateDiag(params: Params, x: Tensor): Tensor {
    return mul(exp(params.logScale!), this.base.evaluateDiag(subParams(params, "base"), x));
  }
  withParams(params: Params): ScaleKernel {
    const p = checkParams(this.params, params, "scale.withParams");
    return new ScaleKernel(this.base.withParams(subParams(p, "base")), p.logScale!);
  }
}

/** k₁ + k₂ (and more: sumKernel(a, b, c) = (a + b) + c). */
export function sumKernel(first: Kernel, ...rest: Kernel[]): Kernel {
  return rest.reduce<Kernel>((acc, k) => new SumKernel(acc, k), first);
}

/** k₁ · k₂ (elementwise product of Gram matrices). */
export function productKernel(first: Kernel, ...rest: Kernel[]): Kernel {
  return rest.reduce<Kernel>((acc, k) => new ProductKernel(acc, k), first);
}

/** c · k with a positive, learnable scale c (stored as log c). */
export function scaleKernel(base: Kernel, scale = 1): ScaleKernel {
  return new ScaleKernel(base, logPositive(scale, "scale", "scaleKernel"));
}
