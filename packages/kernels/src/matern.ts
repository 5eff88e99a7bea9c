// Matérn kernels (Rasmussen & Williams 2006, eqs. 4.14–4.17): closed forms for ν ∈ {½, 3⁄2, 5⁄2} and the
// general form σ² 2^{1−ν}/Γ(ν) · z^ν K_ν(z), z = √(2ν)·r, evaluated in log space with logBesselK so
// that large z neither overflows z^ν nor underflows K_ν.
import { add, exp, less, log, logBesselK, mul, scalar as S, type Tensor, ValueError, where } from "@x/tensor";
import type { Params } from "./kernel.js";
import { StationaryKernel, type StationaryOptions, safeDist, stationaryParams } from "./stationary.js";

export interface MaternOptions extends StationaryOptions {
  /** Smoothness ν > 0 (fixed, not a hyperparameter). Default 2.5. */
  nu?: number;
}

export class MaternKernel extends StationaryKernel {
  readonly name = "matern";
  constructor(
    params: Params,
    readonly nu: number,
  ) {
    super(params);
  }

  profile(params: Params, r2: Tensor): Tensor {
    const lv = params.logVariance!;
    const nu = this.nu;
    const r = safeDist(r2);
    if (nu === 0.5) return exp(add(lv, mul(-1, r)));
    if (nu === 1.5) {
      const z = mul(Math.sqrt(3), r);
      return mul(add(1, z), exp(add(lv, mul(-1, z))));
    }
    if (nu === 2.5) {
      const z = mul(Math.sqrt(5), r);
      return mul(add(add(1, z), mul(5 / 3, r2)), exp(add(lv, mul(-1, z))));
    }
    const z = mul(Math.sqrt(2 * nu), r);
    // Below z ≈ 1e-8 the general form equals its limit σ² to float64 precision; evaluate it at a safe z
    // there and select σ², so neither branch produces NaN (and no NaN gradient leaks through `where`).
    const small = less(z, 1e-8);
    const zs = where(small, 1, z);
    const logk = add(add((1 - nu) * Math.LN2 - S.lgamma(nu), mul(nu, log(zs))), logBesselK(nu, zs));
    return exp(add(lv, where(small, 0, logk)));
  }
}

/** Matérn kernel with smoothness ν (½, 3⁄2, 5⁄2 in closed form; any ν > 0 via log-Bessel K). */
export function matern(opts: MaternOptions = {}): MaternKernel {
  const nu = opts.nu ?? 2.5;
  if (!(Number.isFinite(nu) && nu > 0)) throw new ValueError(`matern: nu must be finite and > 0, got ${nu}`);
  return new MaternKernel(stationaryParams("matern", opts), nu);
}
