#!/usr/bin/python3
"""Reference values for the @x/linalg dense direct group from NumPy/SciPy (run with /usr/bin/python3; output committed).

Usage: /usr/bin/python3 tooling/reference/linalg-dense.py > packages/linalg/test/fixtures/linalg-dense.json

Fixed random matrices (numpy default_rng(20261124)); SPD matrices are B·Bᵀ + n·I. Factorizations are
compared entrywise: scipy.linalg.lu/lu_factor (partial pivoting, LAPACK getrf pivots, 0-based),
cholesky, qr (LAPACK geqrf signs), solve, solve_triangular, inv, det, slogdet, lstsq. The batched
2×3×3 case is computed per matrix (SciPy 1.10 functions do not batch).
"""
import datetime
import json

import numpy as np
import scipy
import scipy.linalg as sla

rng = np.random.default_rng(20261124)


def mat(m, n):
    return rng.standard_normal((m, n))


def spd(n):
    b = mat(n, n)
    return b @ b.T + n * np.eye(n)


def L(x):
    return np.asarray(x, dtype=float).tolist()


out = {
    "meta": {
        "generator": "tooling/reference/linalg-dense.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "date": datetime.date.today().isoformat(),
    }
}

lu_cases = []
for m, n in [(4, 4), (3, 5), (5, 3)]:
    a = mat(m, n)
    p, l, u = sla.lu(a)
    lu, piv = sla.lu_factor(a) if m == n else (None, None)
    case = {"a": L(a), "p": L(p), "l": L(l), "u": L(u)}
    if lu is not None:
        case["lu"] = L(lu)
        case["piv"] = L(piv)
    lu_cases.append(case)
out["lu"] = lu_cases

a = spd(4)
out["cholesky"] = {"a": L(a), "l": L(sla.cholesky(a, lower=True)), "u": L(sla.cholesky(a, lower=False)),
                   "logdet": float(np.linalg.slogdet(a)[1])}

qr_cases = []
for m, n in [(5, 3), (3, 5), (4, 4)]:
    a = mat(m, n)
    q, r = sla.qr(a, mode="economic")
    qc, rc = sla.qr(a, mode="full")
    qr_cases.append({"a": L(a), "q": L(q), "r": L(r), "qComplete": L(qc), "rComplete": L(rc)})
out["qr"] = qr_cases

a = mat(4, 4) + 4 * np.eye(4)
b1 = rng.standard_normal(4)
b2 = rng.standard_normal((4, 2))
out["solve"] = {"a": L(a), "b1": L(b1), "x1": L(sla.solve(a, b1)), "b2": L(b2), "x2": L(sla.solve(a, b2)),
                "inv": L(sla.inv(a)), "det": float(sla.det(a)),
                "slogdet": [float(v) for v in np.linalg.slogdet(a)]}

t = np.tril(mat(4, 4)) + 3 * np.eye(4)
bt = rng.standard_normal((4, 2))
out["solveTriangular"] = {
    "t": L(t), "b": L(bt),
    "lower": L(sla.solve_triangular(t, bt, lower=True)),
    "lowerTrans": L(sla.solve_triangular(t, bt, lower=True, trans=1)),
    "lowerUnit": L(sla.solve_triangular(t, bt, lower=True, unit_diagonal=True)),
    "upper": L(sla.solve_triangular(t.T, bt, lower=False)),
}

a = mat(6, 3)
b1 = rng.standard_normal(6)
b2 = rng.standard_normal((6, 2))
x1, r1, rank1, _ = sla.lstsq(a, b1)
x2, r2, rank2, _ = sla.lstsq(a, b2)
out["lstsq"] = {"a": L(a), "b1": L(b1), "x1": L(x1), "res1": float(r1), "b2": L(b2), "x2": L(x2),
                "res2": L(r2), "rank": int(rank1)}

# Batched 2×3×3: general (diagonally shifted) and SPD, with a right-hand side [2, 3, 2].
ab = np.stack([mat(3, 3) + 2 * np.eye(3) for _ in range(2)])
sb = np.stack([spd(3) for _ in range(2)])
bb = rng.standard_normal((2, 3, 2))
lus = [sla.lu(x) for x in ab]
out["batched"] = {
    "a": L(ab), "b": L(bb), "spd": L(sb),
    "solve": L(np.stack([sla.solve(x, y) for x, y in zip(ab, bb)])),
    "inv": L(np.stack([sla.inv(x) for x in ab])),
    "det": L([sla.det(x) for x in ab]),
    "slogdetSign": L(np.linalg.slogdet(ab)[0]),
    "slogdetLog": L(np.linalg.slogdet(ab)[1]),
    "p": L(np.stack([x[0] for x in lus])), "l": L(np.stack([x[1] for x in lus])), "u": L(np.stack([x[2] for x in lus])),
    "chol": L(np.stack([sla.cholesky(x, lower=True) for x in sb])),
    "logdet": L(np.linalg.slogdet(sb)[1]),
    "qrQ": L(np.stack([sla.qr(x, mode="economic")[0] for x in ab])),
    "qrR": L(np.stack([sla.qr(x, mode="economic")[1] for x in ab])),
}

print(json.dumps(out, indent=1))
