"""Reference entropic OT plans (POT) and their implicit derivatives (NumPy) for the Sinkhorn layer.

For each case: weights a = softmax(alpha), b = softmax(beta), a cost M, reg. The plan is POT's
ot.sinkhorn(a, b, M, reg, method="sinkhorn_log") run to stopThr 1e-14. The derivative of
L(M, alpha, beta) = sum(W * P) is computed independently of the TypeScript code: the dual optimality
conditions P 1 = a, P^T 1 = b with P = exp((f_i + g_j - M_ij)/reg) are solved for (f, g[:-1]) with the
gauge g[-1] = 0 and the redundant last column equation dropped; the implicit function theorem on this
reduced square system (dense Jacobians, numpy.linalg.solve) gives dL/dM, dL/da, dL/db, then the
softmax chain rule gives dL/dalpha, dL/dbeta. Also records the entropic cost and its gradient in M (= P).
Writes packages/bilevel/test/fixtures/sinkhorn-layer.json.
"""
import json
import os

import numpy as np
import ot


def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def case(seed, n1, n2, reg):
    rng = np.random.default_rng(seed)
    alpha = rng.normal(size=n1)
    beta = rng.normal(size=n2)
    xs = rng.normal(size=(n1, 2))
    xt = rng.normal(size=(n2, 2)) + 0.5
    M = ot.dist(xs, xt)  # squared Euclidean
    W = rng.normal(size=(n1, n2))
    a, b = softmax(alpha), softmax(beta)
    P, log = ot.sinkhorn(a, b, M, reg, method="sinkhorn_log", stopThr=1e-14, numItermax=200000, log=True)
    f = reg * log["log_u"]
    g = reg * log["log_v"]
    f, g = f + g[-1], g - g[-1]
    P = np.exp((f[:, None] + g[None, :] - M) / reg)

    # Reduced system E(z, theta) = 0, z = (f, g[:-1]), with g[-1] = 0.
    m = n2 - 1
    Ez = np.zeros((n1 + m, n1 + m))
    Ez[:n1, :n1] = np.diag(P.sum(1)) / reg
    Ez[:n1, n1:] = P[:, :m] / reg
    Ez[n1:, :n1] = P[:, :m].T / reg
    Ez[n1:, n1:] = np.diag(P[:, :m].sum(0)) / reg
    # dL/dP = W; P depends on z directly and on M directly.
    dLdz = np.concatenate([(W * P).sum(1) / reg, (W * P).sum(0)[:m] / reg])
    u = np.linalg.solve(Ez.T, dLdz)  # adjoint
    uf, ug = u[:n1], np.concatenate([u[n1:], [0.0]])
    # E_M: dE_f,i/dM_ij = -P_ij/reg, dE_g,j/dM_ij = -P_ij/reg (j < n2-1); E_a = -I, E_b = -I on kept rows.
    dLdM = -W * P / reg - (-(uf[:, None] + ug[None, :]) * P / reg)
    dLda = uf.copy()
    dLdb = ug.copy()
    Jsa = np.diag(a) - np.outer(a, a)
    Jsb = np.diag(b) - np.outer(b, b)
    ent = float((P * M).sum() + reg * (P * (np.log(P) - 1)).sum())
    return {
        "seed": seed,
        "reg": reg,
        "alpha": alpha.tolist(),
        "beta": beta.tolist(),
        "M": M.tolist(),
        "W": W.tolist(),
        "plan": P.tolist(),
        "cost": float((P * M).sum()),
        "entropicCost": ent,
        "gradM": dLdM.tolist(),
        "gradAlpha": (Jsa @ dLda).tolist(),
        "gradBeta": (Jsb @ dLdb).tolist(),
    }


cases = [case(0, 5, 4, 0.5), case(1, 6, 6, 0.1), case(2, 3, 7, 1.0), case(3, 8, 5, 0.05)]
out = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "bilevel", "test", "fixtures", "sinkhorn-layer.json")
with open(out, "w") as fh:
    json.dump({"generator": "tooling/reference/bilevel-sinkhorn.py", "pot": ot.__version__, "cases": cases}, fh)
print("wrote", os.path.normpath(out))
