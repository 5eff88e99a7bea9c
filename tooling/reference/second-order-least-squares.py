"""SciPy 1.10 `least_squares` (method='lm', MINPACK) -> packages/second-order/test/fixtures/least-squares.json.

Run: /usr/bin/python3 tooling/reference/second-order-least-squares.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import least_squares

t = np.linspace(0, 4, 25)
# Deterministic "noise" so the data are reproducible without an RNG.
y_exp = 2.5 * np.exp(-1.3 * t) + 0.5 + 0.01 * np.sin(7 * t)
tb = np.linspace(-2, 2, 30)
y_gauss = 1.7 * np.exp(-((tb - 0.3) ** 2) / (2 * 0.6**2)) + 0.02 * np.cos(5 * tb)

problems = [
    ("rosenbrock", [-1.2, 1.0], lambda x: np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]]), {}),
    ("exp-decay", [1.0, 1.0, 0.0], lambda p: p[0] * np.exp(-p[1] * t) + p[2] - y_exp, {"t": t.tolist(), "y": y_exp.tolist()}),
    ("gaussian", [1.0, 0.0, 1.0], lambda p: p[0] * np.exp(-((tb - p[1]) ** 2) / (2 * p[2] ** 2)) - y_gauss,
     {"t": tb.tolist(), "y": y_gauss.tolist()}),
]
cases = []
for name, x0, fun, data in problems:
    r = least_squares(fun, np.array(x0), method="lm", xtol=1e-14, ftol=1e-14, gtol=1e-14)
    cases.append({"problem": name, "x0": x0, "x": r.x.tolist(), "cost": float(r.cost), "nfev": int(r.nfev), **data})
    print(name, r.x, r.cost, r.nfev, r.status)
out = {"scipy": scipy.__version__, "cases": cases}
path = os.path.join(os.path.dirname(__file__), "../../packages/second-order/test/fixtures/least-squares.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote", path)
