// Test problems shared by the test files (Float64Array fast-path vector fields).
export const lorenz = (_t: number, y: Float64Array, _a: unknown, out: Float64Array) => {
  out[0] = 10 * (y[1]! - y[0]!);
  out[1] = y[0]! * (28 - y[2]!) - y[1]!;
  out[2] = y[0]! * y[1]! - (8 / 3) * y[2]!;
};
export const lotka = (_t: number, y: Float64Array) => [1.5 * y[0]! - y[0]! * y[1]!, -3 * y[1]! + y[0]! * y[1]!];
export const vdp = (mu: number) => (_t: number, y: Float64Array) => [y[1]!, mu * (1 - y[0]! * y[0]!) * y[1]! - y[0]!];
export const vdpJac = (mu: number) => (_t: number, y: Float64Array) => [
  [0, 1],
  [-2 * mu * y[0]! * y[1]! - 1, mu * (1 - y[0]! * y[0]!)],
];
export const robertson = (_t: number, y: Float64Array) => [
  -0.04 * y[0]! + 1e4 * y[1]! * y[2]!,
  0.04 * y[0]! - 1e4 * y[1]! * y[2]! - 3e7 * y[1]! * y[1]!,
  3e7 * y[1]! * y[1]!,
];
export const hires = (_t: number, y: Float64Array) => [
  -1.71 * y[0]! + 0.43 * y[1]! + 8.32 * y[2]! + 0.0007,
  1.71 * y[0]! - 8.75 * y[1]!,
  -10.03 * y[2]! + 0.43 * y[3]! + 0.035 * y[4]!,
  8.32 * y[1]! + 1.71 * y[2]! - 1.12 * y[3]!,
  -1.745 * y[4]! + 0.43 * y[5]! + 0.43 * y[6]!,
  -280 * y[5]! * y[7]! + 0.69 * y[3]! + 1.71 * y[4]! - 0.43 * y[5]! + 0.69 * y[6]!,
  280 * y[5]! * y[7]! - 1.81 * y[6]!,
  -280 * y[5]! * y[7]! + 1.81 * y[6]!,
];
export const arenstorf = (_t: number, y: Float64Array) => {
  const mu = 0.012277471;
  const mp = 1 - mu;
  const d1 = ((y[0]! + mu) ** 2 + y[1]! ** 2) ** 1.5;
  const d2 = ((y[0]! - mp) ** 2 + y[1]! ** 2) ** 1.5;
  return [
    y[2]!,
    y[3]!,
    y[0]! + 2 * y[3]! - (mp * (y[0]! + mu)) / d1 - (mu * (y[0]! - mp)) / d2,
    y[1]! - 2 * y[2]! - (mp * y[1]!) / d1 - (mu * y[1]!) / d2,
  ];
};

/** Column j of a SciPy-layout result as an array. */
export function column(y: Float64Array, n: number, nt: number, j: number): number[] {
  return Array.from({ length: n }, (_, i) => y[i * nt + j]!);
}

/** max_i |a_i − b_i| / (atol + rtol·|b_i|). */
export function scaledErr(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (atol + rtol * Math.abs(b[i]!)));
  return m;
}
