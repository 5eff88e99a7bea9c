import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliIO, main } from "../src/cli.js";

const ACAS = join(__dirname, "fixtures", "acasxu");

function fakeIO(files: Record<string, Uint8Array | string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const io: CliIO = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    readFile: (p) => {
      const v = files[p];
      if (v !== undefined) return typeof v === "string" ? new TextEncoder().encode(v) : v;
      return readFileSync(p);
    },
    writeFile: (p, t) => written.set(p, t),
  };
  return { io, out, err, written };
}

const net = (n: string) => join(ACAS, `ACASXU_run2a_${n}_batch_2000.onnx`);
const prop = (p: number) => join(ACAS, `prop_${p}.vnnlib`);

describe("x-verify CLI", () => {
  it("prints unsat as the first line and writes --out", () => {
    const f = fakeIO();
    const code = main([net("2_7"), prop(3), "--timeout", "60", "--out", "res.txt"], f.io);
    expect(code).toBe(0);
    expect(f.out.join("")).toBe("unsat\n");
    expect(f.written.get("res.txt")).toBe("unsat\n");
  }, 60_000);

  it("prints sat followed by a counterexample in VNN-COMP form", () => {
    const f = fakeIO();
    expect(main([net("2_7"), prop(2)], f.io)).toBe(0);
    const text = f.out.join("");
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("sat");
    const pairs = [...text.matchAll(/\((X|Y)_(\d+) (-?[\d.e+-]+)\)/g)];
    expect(pairs.filter((m) => m[1] === "X").length).toBe(5);
    expect(pairs.filter((m) => m[1] === "Y").length).toBe(5);
    // the counterexample violates property 2: Y_0 is maximal
    const y = pairs.filter((m) => m[1] === "Y").map((m) => Number(m[3]));
    expect(Math.max(...y)).toBe(y[0]);
  }, 60_000);

  it("bad input gives an error, exit code 2 and no result", () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["bad.onnx", prop(1)], { "bad.onnx": "garbage bytes" }, /x-verify: error/],
      [[net("2_7"), "bad.vnnlib"], { "bad.vnnlib": "(declare-const X_0 Real)\n(assert (<= X_0" }, /unclosed.*line 2/],
      [
        [net("2_7"), "small.vnnlib"],
        {
          "small.vnnlib":
            "(declare-const X_0 Real)(declare-const Y_0 Real)(assert (<= X_0 1))(assert (>= X_0 0))(assert (<= Y_0 0))",
        },
        /1 inputs/,
      ],
      [[net("2_7")], {}, /expected a model and a property/],
      [[net("2_7"), prop(1), "--timeout", "-3"], {}, /--timeout must be a positive number/],
      [[net("2_7"), prop(1), "--bogus", "1"], {}, /unknown option --bogus/],
    ];
    for (const [argv, files, re] of cases) {
      const f = fakeIO(files);
      expect(main(argv, f.io)).toBe(2);
      expect(f.out.join("")).toBe("");
      expect(f.err.join("")).toMatch(re);
    }
  });

  it("runs an instance list with progress lines, a results CSV and a summary", () => {
    const csv = [
      "onnx,vnnlib,timeout_s,expected",
      "ACASXU_run2a_2_7_batch_2000.onnx,prop_3.vnnlib,60,unsat",
      "ACASXU_run2a_5_5_batch_2000.onnx,prop_2.vnnlib,60,sat",
    ].join("\n");
    const f = fakeIO({ "list.csv": csv });
    const code = main(["--instances", "list.csv", "--root", ACAS, "--out", "results.csv"], f.io);
    expect(code).toBe(0);
    const out = f.out.join("");
    expect(out).toMatch(/\[1\/2\] ACASXU_run2a_2_7_batch_2000.onnx prop_3.vnnlib → unsat/);
    expect(out).toMatch(/\[2\/2\] .* → sat/);
    expect(out).toMatch(/summary: solved 2, wrong 0, unknown\/timeout 0, total 2/);
    const rows = f.written.get("results.csv")!.trim().split("\n");
    expect(rows.length).toBe(3);
    expect(rows[1]).toMatch(/^ACASXU_run2a_2_7_batch_2000.onnx,prop_3.vnnlib,60,unsat,[\d.]+,unsat,true$/);
  }, 60_000);

  const cli = join(__dirname, "..", "dist", "cli.js");
  const tensorDist = join(__dirname, "..", "node_modules", "@x", "tensor", "dist", "index.js");
  // only after `pnpm build` (of this package and @x/tensor); main() above covers the logic
  it.skipIf(!existsSync(cli) || !existsSync(tensorDist))(
    "the built dist/cli.js runs as a command",
    () => {
      const out = execFileSync(process.execPath, [cli, net("2_7"), prop(3)], { encoding: "utf8" });
      expect(out).toBe("unsat\n");
    },
    60_000,
  );
});
