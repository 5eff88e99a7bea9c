// Scaled RMS norm of a local error estimate (Hairer–Nørsett–Wanner I, eq. II.4.11).
export class ErrorNorm {
  private readonly atolVec: Float64Array;
  constructor(
    readonly n: number,
    readonly rtol: number,
    atol: number | ArrayLike<number>,
  ) {
    this.atolVec = new Float64Array(n);
    for (let i = 0; i < n; i++) this.atolVec[i] = typeof atol === "number" ? atol : atol[i]!;
  }

  /** sqrt(mean((e_i / (atol_i + rtol·max(|y0_i|, |y1_i|)))²)). */
  norm(e: Float64Array, y0: Float64Array, y1: Float64Array): number {
    let s = 0;
    const n = this.n;
    for (let i = 0; i < n; i++) {
      const sc = this.atolVec[i]! + this.rtol * Math.max(Math.abs(y0[i]!), Math.abs(y1[i]!));
      const r = e[i]! / sc;
      s += r * r;
    }
    return Math.sqrt(s / n);
  }

  /** Scaled RMS norm of v with the scale taken from y only. */
  normAt(v: Float64Array, y: Float64Array): number {
    let s = 0;
    const n = this.n;
    for (let i = 0; i < n; i++) {
      const r = v[i]! / (this.atolVec[i]! + this.rtol * Math.abs(y[i]!));
      s += r * r;
    }
    return Math.sqrt(s / n);
  }
}
