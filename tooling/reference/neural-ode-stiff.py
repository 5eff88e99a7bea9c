"""Reference solutions for @x/neural-ode from SciPy 1.10 solve_ivp (Radau/BDF/DOP853 at tight tolerances).

Writes packages/neural-ode/test/fixtures/scipy-ivp.json. Run with /usr/bin/python3.
"""
import json
import os

import numpy as np
from scipy.integrate import solve_ivp

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "neural-ode", "test", "fixtures", "scipy-ivp.json")


def vdp(mu):
    def f(t, y):
        return [y[1], mu * (1 - y[0] ** 2) * y[1] - y[0]]

    def jac(t, y):
        return [[0.0, 1.0], [-2 * mu * y[0] * y[1] - 1, mu * (1 - y[0] ** 2)]]

    return f, jac


def robertson(t, y):
    return [-0.04 * y[0] + 1e4 * y[1] * y[2], 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] ** 2, 3e7 * y[1] ** 2]


def hires(t, y):
    return [
        -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007,
        1.71 * y[0] - 8.75 * y[1],
        -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4],
        8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3],
        -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6],
        -280 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6],
        280 * y[5] * y[7] - 1.81 * y[6],
        -280 * y[5] * y[7] + 1.81 * y[6],
    ]


def lotka(t, y):
    return [1.5 * y[0] - y[0] * y[1], -3 * y[1] + y[0] * y[1]]


def arenstorf(t, y):
    mu = 0.012277471
    mp = 1 - mu
    d1 = ((y[0] + mu) ** 2 + y[1] ** 2) ** 1.5
    d2 = ((y[0] - mp) ** 2 + y[1] ** 2) ** 1.5
    return [y[2], y[3], y[0] + 2 * y[3] - mp * (y[0] + mu) / d1 - mu * (y[0] - mp) / d2,
            y[1] - 2 * y[2] - mp * y[1] / d1 - mu * y[1] / d2]


def run(name, f, span, y0, t_eval, method, rtol, atol, jac=None):
    kw = {"jac": jac} if jac is not None and method in ("Radau", "BDF", "LSODA") else {}
    sol = solve_ivp(f, span, y0, method=method, t_eval=t_eval, rtol=rtol, atol=atol, **kw)
    assert sol.success, (name, sol.message)
    return {"name": name, "method": method, "rtol": rtol, "atol": atol, "tSpan": list(span), "y0": list(y0),
            "t": sol.t.tolist(), "y": sol.y.T.tolist(), "nfev": int(sol.nfev), "njev": int(sol.njev), "nlu": int(sol.nlu)}


cases = []
f, jac = vdp(1000.0)
cases.append(run("vdp1000", f, (0, 3000), [2.0, 0.0], [0, 500, 1000, 1500, 2000, 2500, 3000], "Radau", 1e-10, 1e-10, jac))
cases.append(run("robertson", robertson, (0, 1e5), [1.0, 0.0, 0.0], [0, 0.4, 40, 400, 4000, 4e4, 1e5], "Radau", 1e-10,
                 [1e-12, 1e-16, 1e-12]))
cases.append(run("hires", hires, (0, 321.8122), [1, 0, 0, 0, 0, 0, 0, 0.0057], [0, 5, 50, 321.8122], "Radau", 1e-12,
                 1e-14))
cases.append(run("lotka", lotka, (0, 10), [10.0, 5.0], list(np.linspace(0, 10, 11)), "DOP853", 1e-13, 1e-13))
cases.append(run("arenstorf", arenstorf, (0, 17.0652165601579625588917206249), [0.994, 0, 0, -2.00158510637908252240537862224],
                 [0, 4, 8, 12, 17.0652165601579625588917206249], "DOP853", 1e-13, 1e-13))
with open(OUT, "w") as fh:
    json.dump({"generator": "tooling/reference/neural-ode-stiff.py", "scipy": __import__("scipy").__version__,
               "cases": cases}, fh, indent=1)
print("wrote", OUT)
