#!/usr/bin/python3
"""Reference values for the @x/linalg krylov group from SciPy (run with /usr/bin/python3; output is committed).

Usage: /usr/bin/python3 tooling/reference/linalg-krylov.py > packages/linalg/test/fixtures/linalg-krylov.json

Problem: the 5-point 2-D Poisson matrix on an n×n interior grid (4 on the diagonal, -1 per neighbour,
row-by-row ordering, as poisson2d in src/krylov/poisson.ts) with right-hand sides
b1 = ones and b2_k = sin(k+1) (a deterministic, non-smooth vector).
SciPy solvers are called with atol=0 so that the stopping rule is ||r|| <= tol*||b|| (as ours);
iteration counts are taken by counting callback calls.
"""
import datetime
import json

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def poisson2d(n):
    t = sp.diags([-1.0, 4.0, -1.0], [-1, 0, 1], shape=(n, n))
    s = sp.diags([-1.0, -1.0], [-1, 1], shape=(n, n))
    eye = sp.identity(n)
    # kron(I, T) gives the in-row stencil (4 on the diagonal, -1 left/right); kron(S, I) the up/down neighbours.
    return (sp.kron(eye, t) + sp.kron(s, eye)).tocsr()


def ic0(a):
    """IC(0) with the pattern of tril(A); same recurrence as src/krylov/ic0.ts."""
    a = sp.tril(a).tocsr()
    a.sort_indices()
    n = a.shape[0]
    rows = []
    for i in range(n):
        cols = a.indices[a.indptr[i]:a.indptr[i + 1]]
        vals = a.data[a.indptr[i]:a.indptr[i + 1]].copy()
        rows.append(dict(zip(cols.tolist(), vals.tolist())))
    for i in range(n):
        ri = rows[i]
        for k in sorted(c for c in ri if c < i):
            rk = rows[k]
            s = ri[k] - sum(ri[j] * rk[j] for j in ri if j < k and j in rk)
            ri[k] = s / rk[k]
        d = ri[i] - sum(v * v for c, v in ri.items() if c < i)
        assert d > 0
        ri[i] = np.sqrt(d)
    r, c, v = [], [], []
    for i, ri in enumerate(rows):
        for j, x in ri.items():
            r.append(i)
            c.append(j)
            v.append(x)
    return sp.csc_matrix((v, (r, c)), shape=(n, n))


def counted(solver, *args, **kw):
    count = [0]

    def cb(_):
        count[0] += 1

    out = solver(*args, callback=cb, **kw)
    return out, count[0]


def rhs(n2, kind):
    return np.ones(n2) if kind == "ones" else np.sin(np.arange(1, n2 + 1, dtype=float))


TOL = 1e-8
cases = []
for n in (10, 30):
    a = poisson2d(n)
    for kind in ("ones", "sin"):
        b = rhs(n * n, kind)
        exact = spla.spsolve(a.tocsc(), b)
        (x_cg, info), it_cg = counted(spla.cg, a, b, tol=TOL, atol=0.0, maxiter=10 * n * n)
        assert info == 0
        (x_gm, info_gm), it_gm = counted(
            spla.gmres, a, b, tol=TOL, atol=0.0, restart=20, maxiter=1000, callback_type="pr_norm"
        )
        assert info_gm == 0
        (x_mr, info_mr), it_mr = counted(spla.minres, a, b, tol=1e-12, maxiter=10 * n * n)
        out_lsqr = spla.lsqr(a, b, atol=1e-12, btol=1e-12, iter_lim=10 * n * n)
        out_lsmr = spla.lsmr(a, b, atol=1e-12, btol=1e-12, maxiter=10 * n * n)
        case = {
            "n": n,
            "rhs": kind,
            "tol": TOL,
            "exactNorm": float(np.linalg.norm(exact)),
            "exactSum": float(exact.sum()),
            "cg": {"iterations": it_cg, "xNorm": float(np.linalg.norm(x_cg)),
                   "relResidual": float(np.linalg.norm(b - a @ x_cg) / np.linalg.norm(b))},
            "gmres20": {"innerIterations": it_gm, "xNorm": float(np.linalg.norm(x_gm))},
            "minres": {"iterations": it_mr, "xNorm": float(np.linalg.norm(x_mr)), "tol": 1e-12},
            "lsqr": {"iterations": int(out_lsqr[2]), "istop": int(out_lsqr[1]),
                     "xNorm": float(np.linalg.norm(out_lsqr[0])), "tol": 1e-12},
            "lsmr": {"iterations": int(out_lsmr[2]), "istop": int(out_lsmr[1]),
                     "xNorm": float(np.linalg.norm(out_lsmr[0])), "tol": 1e-12},
        }
        if n == 10:
            case["exact"] = [float(v) for v in exact]
        cases.append(case)

# A tall sparse least-squares problem: the first 60 columns of poisson2d(10) (100×60), b = sin, with and
# without damping; reference = dense NumPy lstsq on the (augmented) system, plus SciPy's lsqr/lsmr counts.
tall = poisson2d(10)[:, :60].tocsr()
bt = rhs(100, "sin")
rows, cols = tall.nonzero()
least_squares = []
for damp in (0.0, 0.5):
    aug = np.vstack([tall.toarray(), damp * np.eye(60)])
    baug = np.concatenate([bt, np.zeros(60)])
    xs = np.linalg.lstsq(aug, baug, rcond=None)[0]
    o1 = spla.lsqr(tall, bt, damp=damp, atol=1e-12, btol=1e-12, iter_lim=1000)
    o2 = spla.lsmr(tall, bt, damp=damp, atol=1e-12, btol=1e-12, maxiter=1000)
    least_squares.append({
        "damp": damp,
        "x": [float(v) for v in xs],
        "residualNorm": float(np.linalg.norm(tall @ xs - bt)),
        "lsqr": {"iterations": int(o1[2]), "istop": int(o1[1]), "r1norm": float(o1[3])},
        "lsmr": {"iterations": int(o2[2]), "istop": int(o2[1]), "normr": float(o2[3])},
    })
tall_case = {
    "shape": [100, 60],
    "rows": [int(v) for v in rows],
    "cols": [int(v) for v in cols],
    "vals": [float(tall[i, j]) for i, j in zip(rows, cols)],
    "b": [float(v) for v in bt],
    "cases": least_squares,
}

# The 100×100 grid (10 000 unknowns): plain CG vs CG preconditioned by IC(0).
n = 100
a = poisson2d(n)
b = rhs(n * n, "ones")
(x_plain, info), it_plain = counted(spla.cg, a, b, tol=TOL, atol=0.0, maxiter=10 * n * n)
assert info == 0
lfac = ic0(a)
lu = spla.splu(lfac, permc_spec="NATURAL", diag_pivot_thresh=0.0, options={"SymmetricMode": True})
m = spla.LinearOperator(a.shape, matvec=lambda r: lu.solve(lu.solve(np.ravel(r)), trans="T"))
(x_ic, info), it_ic = counted(spla.cg, a, b, tol=TOL, atol=0.0, maxiter=10 * n * n, M=m)
assert info == 0
grid100 = {
    "n": n,
    "rhs": "ones",
    "tol": TOL,
    "exactNorm": float(np.linalg.norm(spla.spsolve(a.tocsc(), b))),
    "cgIterations": it_plain,
    "cgIc0Iterations": it_ic,
    "cgXNorm": float(np.linalg.norm(x_plain)),
    "cgIc0XNorm": float(np.linalg.norm(x_ic)),
    # A few entries of the IC(0) factor, to check our factor itself.
    "ic0Diag": [float(lfac[i, i]) for i in (0, 1, 2, 99, 100, 5050, 9999)],
    "ic0DiagIndex": [0, 1, 2, 99, 100, 5050, 9999],
}

print(json.dumps({
    "generator": "tooling/reference/linalg-krylov.py",
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "date": datetime.date.today().isoformat(),
    "cases": cases,
    "grid100": grid100,
    "tallLeastSquares": tall_case,
}, indent=1))
