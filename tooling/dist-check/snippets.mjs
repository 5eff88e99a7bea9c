// One small script body per public package for the consumer test; `P` is the imported package.
// Each must print something computed and throw if the answer is wrong.
const check = `const check = (ok, what) => { if (!ok) throw new Error("wrong result: " + what); };`;

export const SNIPPETS = {
  "@x/tensor": `${check}
const g = P.grad((x) => P.sum(P.square(x)))(P.tensor([1, 2, 3]));
check(Math.abs(g.data[2] - 6) < 1e-12, "grad of sum x^2");
console.log("grad", Array.from(g.data).join(","));`,
  "@x/linalg": `${check}
const x = P.solve([[4, 1], [1, 3]], [1, 2]);
check(Math.abs(x.data[0] - 1 / 11) < 1e-12 && Math.abs(x.data[1] - 7 / 11) < 1e-12, "solve");
console.log("solve", Array.from(x.data).map((v) => v.toFixed(6)).join(","));`,
  "@x/ot": `${check}
const M = P.dist([[0, 0], [1, 0]], [[0, 1], [1, 1]]);
const r = P.emd([0.5, 0.5], [0.5, 0.5], M);
check(Math.abs(r.cost - 1) < 1e-12, "emd cost");
const s = P.sinkhorn2([0.5, 0.5], [0.5, 0.5], M, 0.05);
check(Math.abs(s.item() - 1) < 1e-3, "sinkhorn2");
console.log("emd", r.cost, "sinkhorn2", s.item().toFixed(6));`,
};
