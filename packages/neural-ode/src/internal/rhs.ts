// Wraps a user vector field: counts evaluations and turns a wrong length or a non-finite value into an OdeFailure.
import type { OdeFunction } from "../types.js";

/** Raised inside a step when f misbehaves; the driver turns it into status −1 with the time and state of failure. */
export class OdeFailure extends Error {
  constructor(
    message: string,
    readonly t: number,
    readonly y: Float64Array,
  ) {
    super(message);
  }
}

export class Rhs<A = unknown> {
  nfev = 0;
  private readonly scratch: Float64Array;
  constructor(
    private readonly f: OdeFunction<A>,
    readonly n: number,
    private readonly args: A,
  ) {
    this.scratch = new Float64Array(n);
  }

  /** out ← f(t, y). */
  eval(t: number, y: Float64Array, out: Float64Array): void {
    this.nfev++;
    const n = this.n;
    const r = this.f(t, y, this.args, out);
    if (r !== undefined && r !== null && r !== out) {
      if (r.length !== n) {
        throw new OdeFailure(`f returned an array of length ${r.length}, expected ${n}, at t=${t}`, t, y.slice());
      }
      for (let i = 0; i < n; i++) out[i] = r[i]!;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[i]! * 0;
    // x·0 is 0 for finite x and NaN for ±Inf/NaN: one branch per call instead of one per component
    if (sum !== 0) this.reportNonFinite(t, y, out);
  }

  private reportNonFinite(t: number, y: Float64Array, out: Float64Array): void {
    for (let i = 0; i < this.n; i++) {
      if (!Number.isFinite(out[i]!)) {
        throw new OdeFailure(`f returned a non-finite value (${out[i]}) in component ${i} at t=${t}`, t, y.slice());
      }
    }
  }

  /** f(t, y) into a scratch buffer owned by this object (valid until the next call). */
  evalScratch(t: number, y: Float64Array): Float64Array {
    this.eval(t, y, this.scratch);
    return this.scratch;
  }
}
