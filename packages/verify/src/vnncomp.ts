// VNN-COMP result text and instance lists (pure string functions; the CLI does the file I/O).
import { ParseError } from "@x/tensor";
import type { VerifyResult } from "./verify.js";

/** VNN-COMP result file: the status line, then for sat the counterexample ((X_0 v) … (Y_0 v) …). */
export function formatResult(result: VerifyResult): string {
  if (result.status !== "sat" || !result.counterexample) return `${result.status}\n`;
  const { x, y } = result.counterexample;
  const parts = [...Array.from(x, (v, i) => `(X_${i} ${v})`), ...Array.from(y, (v, i) => `(Y_${i} ${v})`)];
  return `sat\n(${parts.join("\n ")})\n`;
}

export interface Instance {
  onnx: string;
  vnnlib: string;
  timeout: number;
  expected?: string;
}

/** Parses an instances CSV (onnx,vnnlib,timeout[,expected]); a header line is skipped when present. */
export function parseInstances(text: string): Instance[] {
  const out: Instance[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const cols = line.split(",").map((c) => c.trim());
    if (i === 0 && cols[2] !== undefined && !Number.isFinite(Number(cols[2]))) return; // header
    if (cols.length < 3) throw new ParseError("instances: expected onnx,vnnlib,timeout", i + 1, 1);
    const timeout = Number(cols[2]);
    if (!(timeout > 0)) throw new ParseError(`instances: timeout '${cols[2]}' is not a positive number`, i + 1, 1);
    out.push({ onnx: cols[0]!, vnnlib: cols[1]!, timeout, ...(cols[3] ? { expected: cols[3] } : {}) });
  });
  return out;
}
