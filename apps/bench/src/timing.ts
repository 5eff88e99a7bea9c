// Timing helpers: warm up, then the median of repeated runs (robust to a busy second core).
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median seconds per call of `fn`, running at least `minRuns` times and about `budgetMs` in total. */
export function timeIt(fn: () => unknown, { minRuns = 3, budgetMs = 1500, warmup = 1, warmupMs = 300 } = {}): number {
  // Warm the JIT: at least `warmup` calls and about warmupMs, so tiny kernels are measured optimised.
  const w0 = performance.now();
  for (let i = 0; i < warmup || (performance.now() - w0 < warmupMs && i < 200); i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || (performance.now() - start < budgetMs && times.length < 50)) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}
