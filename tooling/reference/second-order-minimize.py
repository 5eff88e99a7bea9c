"""SciPy 1.10 `minimize` on standard test functions -> packages/second-order/test/fixtures/minimize.json.

Run: /usr/bin/python3 tooling/reference/second-order-minimize.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess_prod


def beale(x):
    return (1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2 + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2


def powell(x):
    return (x[0] + 10 * x[1]) ** 2 + 5 * (x[2] - x[3]) ** 2 + (x[1] - 2 * x[2]) ** 4 + 10 * (x[0] - x[3]) ** 4


def num_grad(f):
    # Central differences are only used where SciPy has no analytic derivative; the tests compare minimisers.
    def g(x):
        h = 1e-7
        e = np.eye(len(x))
        return np.array([(f(x + h * e[i]) - f(x - h * e[i])) / (2 * h) for i in range(len(x))])

    return g


def start(n):
    x = np.ones(n)
    x[0::2] = -1.2
    return x


problems = [
    ("rosenbrock", start(2), rosen, rosen_der, rosen_hess_prod),
    ("beale", np.array([1.0, 1.0]), beale, num_grad(beale), None),
    ("powell", np.array([3.0, -1.0, 0.0, 1.0]), powell, num_grad(powell), None),
    ("chained-rosenbrock-100", start(100), rosen, rosen_der, rosen_hess_prod),
]

cases = []
for name, x0, f, g, hp in problems:
    for method in ["BFGS", "L-BFGS-B", "Newton-CG", "trust-ncg"]:
        if hp is None and method in ("Newton-CG", "trust-ncg"):
            continue
        kw = {"jac": g}
        if method in ("Newton-CG", "trust-ncg"):
            kw["hessp"] = hp
        opts = {"gtol": 1e-8} if method in ("BFGS", "trust-ncg") else {}
        if method == "L-BFGS-B":
            opts = {"gtol": 1e-10, "ftol": 1e-15, "maxiter": 20000}
        if method == "Newton-CG":
            opts = {"xtol": 1e-10}
        r = minimize(f, x0, method=method, options=opts, **kw)
        cases.append(
            {
                "problem": name,
                "method": method,
                "x0": x0.tolist(),
                "x": r.x.tolist(),
                "fun": float(r.fun),
                "nit": int(r.nit),
                "nfev": int(r.nfev),
                "success": bool(r.success),
            }
        )

# Box-bounded Rosenbrock for L-BFGS-B: the minimiser sits on the bound.
bounded = []
for x0, lo, hi in [([-1.2, 1.0], [-2.0, -2.0], [0.5, 2.0]), ([2.0, 2.0], [1.5, -1.0], [3.0, 3.0])]:
    r = minimize(rosen, np.array(x0), jac=rosen_der, method="L-BFGS-B", bounds=list(zip(lo, hi)),
                 options={"gtol": 1e-12, "ftol": 1e-15})
    bounded.append({"x0": x0, "lower": lo, "upper": hi, "x": r.x.tolist(), "fun": float(r.fun), "nit": int(r.nit)})

out = {"scipy": scipy.__version__, "cases": cases, "bounded": bounded}
path = os.path.join(os.path.dirname(__file__), "../../packages/second-order/test/fixtures/minimize.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote", path, len(cases), "cases")
for c in cases:
    print(c["problem"], c["method"], c["nit"], c["nfev"], c["fun"], c["success"])
for b in bounded:
    print(b)
