// Jitter policy for Gram matrices: try the Cholesky factor as is, then add δ·I with δ = 10⁻¹⁰·mean(diag)·10ᵏ
// (the GPyTorch/GPflow practice of a growing diagonal nugget), and fail with a typed error listing every δ tried.
import { cholesky, NotPositiveDefiniteError } from "@x/linalg";
import { type Tensor, ValueError } from "@x/tensor";

export interface JitterOptions {
  /** Number of increasing jitters tried after the bare matrix fails (default 6: up to 10⁻⁵·mean diag). */
  maxTries?: number;
  /** Explicit jitters to try in order instead (absolute values, after the bare matrix). */
  jitters?: readonly number[];
}

/** The Gram matrix stayed non-positive-definite after every jitter of the policy. */
export class CholeskyJitterError extends ValueError {
  constructor(
    where: string,
    readonly jitters: number[],
  ) {
    super(
      `${where}: the matrix is not positive definite even with diagonal jitter; tried ${jitters
        .map((j) => j.toExponential(1))
        .join(", ")}`,
    );
  }
}

/** Lower Cholesky factor of a + δI for the first δ of the policy that works (δ = 0 first). Differentiable. */
export function choleskyJitter(a: Tensor, where: string, opts: JitterOptions = {}): { l: Tensor; jitter: number } {
  const n = a.shape[0]!;
  const data = a.data;
  let md = 0;
  for (let i = 0; i < n; i++) md += data[i * n + i]!;
  md = Math.abs(md / Math.max(n, 1));
  const scale = md > 0 && Number.isFinite(md) ? md : 1;
  const maxTries = opts.maxTries ?? 6;
  const seq = [0, ...(opts.jitters ?? Array.from({ length: maxTries }, (_, k) => 1e-10 * scale * 10 ** k))];
  const tried: number[] = [];
  for (const j of seq) {
    tried.push(j);
    try {
      return { l: cholesky(a, { jitter: j }).l, jitter: j };
    } catch (e) {
      if (!(e instanceof NotPositiveDefiniteError)) throw e;
    }
  }
  throw new CholeskyJitterError(where, tried);
}
