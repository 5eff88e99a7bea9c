import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { computeBounds, loadOnnx, parseVnnlib, verify } from "@x/verify";

// The ACAS Xu files committed as test fixtures of @x/verify (VNN-COMP 2021 acasxu benchmark).
const dir = fileURLToPath(new URL("../../../../packages/verify/test/fixtures/acasxu/", import.meta.url));
const read = (f: string) => readFileSync(dir + f);

export const verifySection = {
  title: "@x/verify — sound neural-network verification (ONNX + VNN-LIB, CROWN, branch and bound)",
  run(): string[] {
    const out: string[] = [];
    const net = loadOnnx(read("ACASXU_run2a_2_7_batch_2000.onnx"));
    out.push(
      `ACAS Xu network 2_7: ${net.inputSize} inputs, ${net.activations.length} ReLU layers of 50, ${net.outputSize} outputs`,
    );
    const p3 = parseVnnlib(read("prop_3.vnnlib").toString("utf8"));
    const box = { lower: p3.specs[0]!.lower, upper: p3.specs[0]!.upper };
    for (const method of ["ibp", "crown", "alpha-crown"] as const) {
      const t0 = performance.now();
      const b = computeBounds(net, box, { method });
      const width = Array.from(b.upper.data, (u, i) => u - b.lower.data[i]!).reduce((a, c) => a + c, 0);
      out.push(
        `${method.padEnd(11)} output bounds on the property-3 box: total width ${width.toFixed(4)} (${(performance.now() - t0).toFixed(0)} ms)`,
      );
    }
    const r3 = verify(net, p3, { timeout: 30 });
    out.push(
      `property 3 (COC not minimal for head-on intruders): ${r3.status} in ${r3.stats.time.toFixed(2)} s, ${r3.stats.domains} domains`,
    );
    const p2 = parseVnnlib(read("prop_2.vnnlib").toString("utf8"));
    const r2 = verify(net, p2, { timeout: 30 });
    out.push(`property 2 (COC score never maximal when far away): ${r2.status} in ${r2.stats.time.toFixed(2)} s`);
    if (r2.counterexample) {
      const f = (a: Float64Array) => `[${Array.from(a, (v) => v.toFixed(5)).join(", ")}]`;
      out.push(`  counterexample x = ${f(r2.counterexample.x)}`);
      out.push(`  f(x) = ${f(r2.counterexample.y)} — Y_0 is the largest score, so the property is violated`);
    }
    return out;
  },
};
