// One small script body per public package for the consumer test; `P` is the imported package.
// `T` is @x/tensor (every package depends on it). Each must print something computed and throw if
// the answer is wrong.
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
  "@x/second-order": `${check}
const r = P.minimize((x) => T.sum(T.square(T.sub(x, T.tensor([1, 2, 3])))), T.zeros([3]), { method: "lbfgs" });
check(r.converged && Math.abs(r.x.data[2] - 3) < 1e-6, "lbfgs on a quadratic");
console.log("lbfgs", r.iterations, "iterations, x =", Array.from(r.x.data).map((v) => v.toFixed(6)).join(","));`,
  "@x/kernels": `${check}
const K = P.rbf().k([[0], [1]]);
check(Math.abs(K.data[1] - Math.exp(-0.5)) < 1e-12, "rbf gram");
console.log("rbf k(0,1) =", K.data[1].toFixed(6));`,
  "@x/neural-ode": `${check}
const r = P.solveIvp((_t, y) => [-y[0]], [0, 1], [1], { method: "dopri5", rtol: 1e-10, atol: 1e-12 });
const v = r.yEnd[0];
check(Math.abs(v - Math.exp(-1)) < 1e-8, "dopri5 on y' = -y");
console.log("y(1) =", v.toFixed(10));`,
  "@x/verify": `${check}
const net = P.sequential([{ W: [[1, 1], [1, -1]], b: [0, 0] }, { W: [[1, 1]] }]);
const b = P.computeBounds(net, { lower: [-1, -1], upper: [1, 1] }, { method: "crown" });
check(b.lower.data[0] <= 0 + 1e-12 && b.upper.data[0] >= 2 - 1e-12, "crown bounds contain the range");
console.log("crown bounds", b.lower.data[0].toFixed(4), b.upper.data[0].toFixed(4));`,
  "@x/bilevel": `${check}
const root = P.customRoot((x, th) => T.sub(x, th), (_x0, th) => th, { solve: "cg", tol: 1e-12 });
const g = T.grad((th) => T.sum(T.square(root(T.zeros([2]), th))))(T.tensor([1, 2]));
check(Math.abs(g.data[1] - 4) < 1e-8, "implicit gradient");
console.log("implicit grad", Array.from(g.data).join(","));`,
};
