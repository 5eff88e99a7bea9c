// Source generators for gpu.js kernels. Every kernel writes a flat 1-D output (gpu.js lays it out
// as a 2-D texture in WebGL modes) and decomposes this.thread.x into a multi-index with the shape
// passed as arguments, so one compiled kernel serves every shape of the same rank ("shape class").
// Division uses floor((t + 0.5) / d), which is exact for integer t, d even in float32 GLSL.

/** Argument names d1..d{r-1} for the output dims (d0 is never needed). */
export const dimArgs = (rank: number): string[] => Array.from({ length: Math.max(rank - 1, 0) }, (_, i) => `d${i + 1}`);

/** Argument names for the strides of input `p` over `rank` dims. */
export const strideArgs = (p: string, rank: number): string[] => Array.from({ length: rank }, (_, i) => `${p}${i}`);

/** Statements defining i0..i{r-1} from this.thread.x (r ≥ 1). */
export function decompose(rank: number, from = "this.thread.x"): string {
  const lines: string[] = [`const t${rank - 1} = ${from};`];
  for (let d = rank - 1; d >= 1; d--) {
    lines.push(`const t${d - 1} = Math.floor((t${d} + 0.5) / d${d});`);
    lines.push(`const i${d} = t${d} - t${d - 1} * d${d};`);
  }
  lines.push("const i0 = t0;");
  return lines.join("\n");
}

/** Expression of the flat offset of input `p` at the current multi-index. */
export const offsetExpr = (p: string, rank: number): string =>
  Array.from({ length: rank }, (_, i) => `i${i} * ${p}${i}`).join(" + ") || "0";

/** Wraps a body into a gpu.js kernel source with the given argument names. */
export const fn = (args: string[], body: string): string => `function (${args.join(", ")}) {\n${body}\n}`;
