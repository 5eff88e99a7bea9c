// ACAS Xu (VNN-COMP 2021, 186 instances) with @x/verify against the published nnenum total of 213.5 s.
// X_BENCH_ACAS=quick (default) runs one instance per property; X_BENCH_ACAS=all runs all 186 with their timeouts.
// X_ACAS_DIR overrides the data folder (default: ../shared/data/acasxu next to the repository).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadOnnx, parseVnnlib, verify } from "@x/verify";

export interface VerifyRow {
  onnx: string;
  vnnlib: string;
  timeout_s: number;
  expected: string;
  result: string;
  time_s: number;
  domains: number;
}

const NNENUM_TOTAL_S = 213.5;

function dataDir(): string | null {
  const candidates = [
    process.env.X_ACAS_DIR,
    fileURLToPath(new URL("../../../../shared/data/acasxu/", import.meta.url)),
    fileURLToPath(new URL("../../../packages/verify/test/fixtures/acasxu/", import.meta.url)),
  ];
  for (const c of candidates) if (c && existsSync(join(c, "expected.csv"))) return c;
  return null;
}

export function benchVerify(log: (s: string) => void): VerifyRow[] {
  const dir = dataDir();
  if (!dir) {
    log("verify: ACAS Xu data not found (set X_ACAS_DIR); skipped");
    return [];
  }
  const mode = process.env.X_BENCH_ACAS === "all" ? "all" : "quick";
  let rows = readFileSync(join(dir, "expected.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));
  if (mode === "quick") {
    const seen = new Set<string>();
    rows = rows.filter((r) => {
      if (seen.has(r[1]!)) return false;
      seen.add(r[1]!);
      return true;
    });
  }
  const out: VerifyRow[] = [];
  const nets = new Map<string, ReturnType<typeof loadOnnx>>();
  rows.forEach(([onnx, vnnlib, timeout, expected], i) => {
    if (!nets.has(onnx!)) nets.set(onnx!, loadOnnx(readFileSync(join(dir, onnx!))));
    const prop = parseVnnlib(readFileSync(join(dir, vnnlib!), "utf8"));
    const r = verify(nets.get(onnx!)!, prop, { timeout: Number(timeout) });
    const row: VerifyRow = {
      onnx: onnx!,
      vnnlib: vnnlib!,
      timeout_s: Number(timeout),
      expected: expected!,
      result: r.status,
      time_s: r.stats.time,
      domains: r.stats.domains,
    };
    out.push(row);
    const wrong = (r.status === "sat" || r.status === "unsat") && r.status !== expected;
    log(
      `verify [${i + 1}/${rows.length}] ${onnx} ${vnnlib}: ${r.status} (expected ${expected}) ${r.stats.time.toFixed(2)} s${wrong ? " WRONG" : ""}`,
    );
  });
  return out;
}

export function verifyMarkdown(rows: VerifyRow[]): string[] {
  if (rows.length === 0) return ["## verify — ACAS Xu", "", "ACAS Xu data not found; not run."];
  const solved = rows.filter((r) => r.result === r.expected).length;
  const wrong = rows.filter((r) => (r.result === "sat" || r.result === "unsat") && r.result !== r.expected).length;
  const undecided = rows.length - solved - wrong;
  const total = rows.reduce((a, r) => a + r.time_s, 0);
  const lines = [
    `## verify — ACAS Xu (${rows.length} of 186 instances)`,
    "",
    `solved ${solved}, wrong ${wrong}, unknown/timeout ${undecided}; total time ${total.toFixed(1)} s` +
      (rows.length === 186 ? ` (nnenum, VNN-COMP 2021: 213.5 s; ratio ${(total / NNENUM_TOTAL_S).toFixed(2)})` : ""),
    "",
    "| property | instances | solved | wrong | unknown/timeout | time (s) |",
    "|---|---|---|---|---|---|",
  ];
  const props = [...new Set(rows.map((r) => r.vnnlib))];
  for (const p of props) {
    const rs = rows.filter((r) => r.vnnlib === p);
    const s = rs.filter((r) => r.result === r.expected).length;
    const w = rs.filter((r) => (r.result === "sat" || r.result === "unsat") && r.result !== r.expected).length;
    lines.push(
      `| ${p} | ${rs.length} | ${s} | ${w} | ${rs.length - s - w} | ${rs.reduce((a, r) => a + r.time_s, 0).toFixed(2)} |`,
    );
  }
  return lines;
}
