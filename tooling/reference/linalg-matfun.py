#!/usr/bin/python3
"""Reference values for the @x/linalg matfun, structured and tensor-decomp groups from SciPy/NumPy
(run with /usr/bin/python3; output committed).

Usage: /usr/bin/python3 tooling/reference/linalg-matfun.py > packages/linalg/test/fixtures/linalg-matfun.json

Fixed random inputs (numpy default_rng(20261124)). expm cases span every Padé degree of Higham (2005):
‖A‖₁ from 1e-3 (degree 3) to ~40 (degree 13 with squaring). Tensor unfoldings follow Kolda & Bader
(2009): mode-n fibres are the columns, remaining indices in increasing order with the first varying
fastest (Fortran order), i.e. np.reshape(np.moveaxis(x, n, 0), (I_n, -1), order="F").
"""
import json

import numpy as np
import scipy
import scipy.linalg as sla

rng = np.random.default_rng(20261124)


def L(x):
    return np.asarray(x, dtype=float).tolist()


def spd(n, shift=0.5):
    b = rng.standard_normal((n, n))
    return b @ b.T / n + shift * np.eye(n)


def unfold(x, n):
    return np.reshape(np.moveaxis(x, n, 0), (x.shape[n], -1), order="F")


def mode_n(x, m, n):
    return np.moveaxis(np.tensordot(m, x, axes=(1, n)), 0, n)


expm_cases = []
for n, scale in [(3, 1e-3), (4, 0.1), (4, 0.5), (5, 1.0), (4, 3.0), (6, 8.0), (5, 40.0)]:
    a = rng.standard_normal((n, n))
    a = a * scale / np.abs(a).sum(axis=0).max()
    expm_cases.append({"a": L(a), "norm1": float(np.abs(a).sum(axis=0).max()), "expm": L(sla.expm(a))})

a = rng.standard_normal((4, 4)) * 0.7
e = rng.standard_normal((4, 4))
frechet = {"a": L(a), "e": L(e), "expm": L(sla.expm(a)), "frechet": L(sla.expm_frechet(a, e, compute_expm=False))}

spd_cases = []
for n in [2, 3, 5]:
    s = spd(n)
    spd_cases.append(
        {
            "a": L(s),
            "sqrtm": L(np.real(sla.sqrtm(s))),
            "logm": L(np.real(sla.logm(s))),
            "pow_0.3": L(np.real(sla.fractional_matrix_power(s, 0.3))),
            "pow_-0.25": L(np.real(sla.fractional_matrix_power(s, -0.25))),
        }
    )

ka = rng.standard_normal((2, 3))
kb = rng.standard_normal((3, 2))
kron = {"a": L(ka), "b": L(kb), "kron": L(np.kron(ka, kb))}

sa, sb = spd(3), spd(4)
c = rng.standard_normal(12)
kron_solve = {"a": L(sa), "b": L(sb), "c": L(c), "x": L(np.linalg.solve(np.kron(sa, sb), c))}

wa = spd(5, 1.0)
u = rng.standard_normal((5, 2))
wc = spd(2, 1.0)
v = rng.standard_normal((2, 5))
wb = rng.standard_normal(5)
woodbury = {"a": L(wa), "u": L(u), "c": L(wc), "v": L(v), "b": L(wb), "x": L(np.linalg.solve(wa + u @ wc @ v, wb))}

x = rng.standard_normal((3, 4, 5))
m1 = rng.standard_normal((2, 4))
tensor_case = {
    "x": L(x),
    "unfold": [L(unfold(x, k)) for k in range(3)],
    "sigma": [L(np.linalg.svd(unfold(x, k), compute_uv=False)) for k in range(3)],
    "m1": L(m1),
    "mode1": L(mode_n(x, m1, 1)),
}

print(
    json.dumps(
        {
            "generator": f"tooling/reference/linalg-matfun.py (numpy {np.__version__}, scipy {scipy.__version__})",
            "expm": expm_cases,
            "frechet": frechet,
            "spd": spd_cases,
            "kron": kron,
            "kronSolve": kron_solve,
            "woodbury": woodbury,
            "tensor": tensor_case,
        },
        indent=1,
    )
)
