"""SciPy `minimize` on the 1000-d chained Rosenbrock function from (-1.2, 1, -1.2, 1, ...):
Newton-CG and trust-ncg (analytic gradient and Hessian-vector product) and L-BFGS-B
-> packages/second-order/test/fixtures/rosenbrock-1000.json.

Run: /usr/bin/python3 tooling/reference/second-order-rosenbrock-1000.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess_prod

n = 1000
x0 = np.ones(n)
x0[0::2] = -1.2
runs = [
    ("Newton-CG", {"xtol": 1e-10}, rosen_hess_prod),
    ("trust-ncg", {"gtol": 1e-9}, rosen_hess_prod),
    ("L-BFGS-B", {"gtol": 1e-10, "ftol": 1e-16, "maxiter": 50000}, None),
]
cases = []
for method, opts, hp in runs:
    kw = {"hessp": hp} if hp is not None else {}
    r = minimize(rosen, x0, jac=rosen_der, method=method, options=opts, **kw)
    cases.append(
        {
            "method": method,
            "n": n,
            "x": r.x.tolist(),
            "fun": float(r.fun),
            "nit": int(r.nit),
            "nfev": int(r.nfev),
            "nhev": int(getattr(r, "nhev", 0) or 0),
            "errInf": float(np.abs(r.x - 1).max()),
            "success": bool(r.success),
        }
    )

out = {"scipy": scipy.__version__, "problem": "chained-rosenbrock-1000", "x0": "(-1.2, 1, -1.2, 1, ...)", "cases": cases}
path = os.path.join(os.path.dirname(__file__), "../../packages/second-order/test/fixtures/rosenbrock-1000.json")
with open(path, "w") as fh:
    json.dump(out, fh)
print("wrote", path)
for c in cases:
    print(c["method"], c["nit"], c["nfev"], c["nhev"], c["fun"], c["errInf"], c["success"])
