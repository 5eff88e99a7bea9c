# Fixtures for @x/ot sparsityConstrainedOt.
# k = n (no sparsity): POT 0.8.2 ot.smooth.smooth_ot_semi_dual(a, b, M, reg, reg_type='l2').
# k < n: an independent NumPy/SciPy implementation of the sparsity-constrained semi-dual of
# Liu, Puigcerver & Blondel (ICLR 2023): max_Omega over the k-sparse simplex = project the top-k
# entries of each column onto the simplex (Kyrillidis et al. 2013), maximised by scipy L-BFGS-B.
# We record the optimal semi-dual value (unique even where the plan is not).
import json
import numpy as np
import ot
from scipy.optimize import minimize

rng = np.random.default_rng(11)


def sparse_max_omega(X, b, gamma, k):
    Y = X / (b * gamma)
    n = Y.shape[0]
    G = np.zeros_like(Y)
    for j in range(Y.shape[1]):
        idx = np.argsort(-Y[:, j], kind="stable")[:k]
        G[idx, j] = ot.smooth.projection_simplex(Y[idx, j][:, None], axis=0)[:, 0]
    val = np.sum(X * G, axis=0) - 0.5 * gamma * b * np.sum(G * G, axis=0)
    return val, G


def solve_sparse(a, b, M, gamma, k):
    def fg(alpha):
        val, G = sparse_max_omega(alpha[:, None] - M, b, gamma, k)
        return -(alpha @ a - b @ val), -(a - G @ b)

    best = None
    for x0 in [np.zeros(len(a)), M.min(axis=1)]:
        r = minimize(fg, x0, jac=True, method="L-BFGS-B", options=dict(maxiter=5000, gtol=1e-12, ftol=1e-15))
        if best is None or r.fun < best.fun:
            best = r
    return -best.fun, best.x


cases = []
for n1, n2, reg in [(6, 5, 0.5), (8, 7, 0.05), (5, 9, 2.0)]:
    x = rng.normal(size=(n1, 2))
    y = rng.normal(loc=0.5, size=(n2, 2))
    a = rng.uniform(0.5, 1.5, n1); a /= a.sum()
    b = rng.uniform(0.5, 1.5, n2); b /= b.sum()
    M = ot.dist(x, y)
    P, log = ot.smooth.smooth_ot_semi_dual(a, b, M, reg, reg_type="l2", stopThr=1e-12, numItermax=20000, log=True)
    alpha = log["alpha"]
    sparse = []
    for k in [2, 3]:
        value, _ = solve_sparse(a, b, M, reg, k)
        sparse.append(dict(k=k, semiDualValue=float(value)))
    cases.append(dict(a=a.tolist(), b=b.tolist(), M=M.tolist(), reg=reg, plan=P.tolist(), alpha=alpha.tolist(),
                      cost=float((P * M).sum()), sparse=sparse))
out = "packages/ot/test/fixtures/ot-sparse.json"
json.dump({"generator": "tooling/reference/ot-sparse.py", "pot": ot.__version__, "cases": cases}, open(out, "w"))
print(out, ot.__version__)
