#!/usr/bin/env node
// x-verify: VNN-COMP style command line. `x-verify model.onnx prop.vnnlib [--timeout S] [--out result.txt]` prints the
// result (first line unsat | sat | unknown | timeout, then for sat the counterexample); `--instances list.csv --root dir`
// runs a benchmark list with one progress line per instance, a results CSV and a summary.
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadOnnx } from "./onnx-import.js";
import { verify } from "./verify.js";
import { formatResult, parseInstances } from "./vnncomp.js";
import { parseVnnlib } from "./vnnlib.js";

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  readFile: (path: string) => Uint8Array;
  writeFile: (path: string, text: string) => void;
}

const nodeIO: CliIO = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readFile: (p) => readFileSync(p),
  writeFile: (p, t) => writeFileSync(p, t),
};

const USAGE = `usage: x-verify <model.onnx> <property.vnnlib> [--timeout S] [--out result.txt]
       x-verify --instances <list.csv> [--root DIR] [--out results.csv] [--timeout-scale F]
`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const known = new Set(["--timeout", "--out", "--instances", "--root", "--timeout-scale", "--seed"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h" || a === "--help") flags.set("--help", "");
    else if (a.startsWith("--")) {
      if (!known.has(a)) throw new UsageError(`unknown option ${a}`);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      flags.set(a, v);
    } else positional.push(a);
  }
  return { positional, flags };
}

function positiveNumber(flags: Map<string, string>, name: string, dflt: number): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${name} must be a positive number, got '${v}'`);
  return n;
}

/** Runs the CLI; returns the process exit code (0 ok, 1 wrong answers in a benchmark run, 2 bad input). */
export function main(argv: string[], io: CliIO = nodeIO): number {
  try {
    const { positional, flags } = parseArgs(argv);
    if (flags.has("--help")) {
      io.out(USAGE);
      return 0;
    }
    const seed = flags.has("--seed") ? Number(flags.get("--seed")) : 0;
    const list = flags.get("--instances");
    if (list !== undefined) {
      if (positional.length) throw new UsageError("--instances takes no positional arguments");
      return runList(
        list,
        flags.get("--root") ?? dirname(list),
        flags.get("--out") ?? "results.csv",
        positiveNumber(flags, "--timeout-scale", 1),
        seed,
        io,
      );
    }
    if (positional.length !== 2) throw new UsageError("expected a model and a property file");
    const timeout = positiveNumber(flags, "--timeout", 60);
    const net = loadOnnx(io.readFile(positional[0]!));
    const prop = parseVnnlib(new TextDecoder().decode(io.readFile(positional[1]!)));
    const result = verify(net, prop, { timeout, seed });
    const text = formatResult(result);
    const outPath = flags.get("--out");
    if (outPath !== undefined) io.writeFile(outPath, text);
    io.out(text);
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`x-verify: error: ${msg}\n`);
    if (e instanceof UsageError) io.err(USAGE);
    return 2;
  }
}

function runList(list: string, root: string, outPath: string, scale: number, seed: number, io: CliIO): number {
  const instances = parseInstances(new TextDecoder().decode(io.readFile(list)));
  const csv = ["onnx,vnnlib,timeout_s,result,time_s,expected,correct"];
  const perProp = new Map<string, number>();
  let solved = 0;
  let wrong = 0;
  let unknown = 0;
  let total = 0;
  instances.forEach((inst, i) => {
    const net = loadOnnx(io.readFile(join(root, inst.onnx)));
    const prop = parseVnnlib(new TextDecoder().decode(io.readFile(join(root, inst.vnnlib))));
    const r = verify(net, prop, { timeout: inst.timeout * scale, seed });
    total += r.stats.time;
    perProp.set(inst.vnnlib, (perProp.get(inst.vnnlib) ?? 0) + r.stats.time);
    const decided = r.status === "sat" || r.status === "unsat";
    const correct = inst.expected === undefined ? "" : decided ? String(r.status === inst.expected) : "";
    if (decided) {
      if (correct === "false") wrong++;
      else solved++;
    } else unknown++;
    csv.push(
      [inst.onnx, inst.vnnlib, inst.timeout, r.status, r.stats.time.toFixed(3), inst.expected ?? "", correct].join(","),
    );
    io.out(
      `[${i + 1}/${instances.length}] ${inst.onnx} ${inst.vnnlib} → ${r.status} in ${r.stats.time.toFixed(2)} s (${r.stats.domains} domains)${correct === "false" ? ` WRONG, expected ${inst.expected}` : ""}\n`,
    );
  });
  io.writeFile(outPath, `${csv.join("\n")}\n`);
  io.out(
    `summary: solved ${solved}, wrong ${wrong}, unknown/timeout ${unknown}, total ${instances.length}, time ${total.toFixed(1)} s\n`,
  );
  io.out(`per property: ${[...perProp].map(([p, t]) => `${p} ${t.toFixed(1)} s`).join(", ")}\n`);
  io.out(`results written to ${resolve(outPath)}\n`);
  return wrong > 0 ? 1 : 0;
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
