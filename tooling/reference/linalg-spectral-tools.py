#!/usr/bin/python3
"""Reference values for the @x/linalg spectral-tools and randomized groups from NumPy/SciPy.

Usage: /usr/bin/python3 tooling/reference/linalg-spectral-tools.py > packages/linalg/test/fixtures/linalg-spectral-tools.json

Fixed matrices from numpy default_rng(20261124):
- eigsh: a 60×60 symmetric matrix, top-3 and bottom-3 eigenvalues from scipy.sparse.linalg.eigsh (cross-checked
  against numpy.linalg.eigvalsh).
- fwht: rows of a 3×16 matrix times scipy.linalg.hadamard(16)/4 (the orthonormal Walsh–Hadamard transform,
  natural/Hadamard order).
- slogdet: a 50×50 SPD matrix B Bᵀ/50 + I and its np.linalg.slogdet; also tr(A) and its 3 smallest eigenvalues.
- leverage: a 20×4 matrix and its exact leverage scores from the SVD.
"""
import datetime
import json

import numpy as np
import scipy
import scipy.linalg
import scipy.sparse.linalg

rng = np.random.default_rng(20261124)


def L(x):
    return np.asarray(x, dtype=float).tolist()


b = rng.standard_normal((60, 60))
sym = (b + b.T) / 2
top3 = scipy.sparse.linalg.eigsh(sym, k=3, which="LA", return_eigenvectors=False)
bot3 = scipy.sparse.linalg.eigsh(sym, k=3, which="SA", return_eigenvectors=False)
allv = np.linalg.eigvalsh(sym)
assert np.allclose(np.sort(top3), allv[-3:]) and np.allclose(np.sort(bot3), allv[:3])

x = rng.standard_normal((3, 16))
H = scipy.linalg.hadamard(16) / 4.0
fw = x @ H.T

c = rng.standard_normal((50, 50))
spd = c @ c.T / 50 + np.eye(50)
sign, logdet = np.linalg.slogdet(spd)
assert sign > 0

lev_a = rng.standard_normal((20, 4))
u, _, _ = np.linalg.svd(lev_a, full_matrices=False)
lev = (u**2).sum(axis=1)

out = {
    "meta": {
        "generator": "tooling/reference/linalg-spectral-tools.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "date": datetime.date.today().isoformat(),
    },
    "eigsh": {"a": L(sym), "top3": L(np.sort(top3)[::-1]), "bottom3": L(np.sort(bot3))},
    "fwht": {"x": L(x), "y": L(fw)},
    "slogdet": {
        "a": L(spd),
        "logdet": float(logdet),
        "trace": float(np.trace(spd)),
        "bottom3": L(np.linalg.eigvalsh(spd)[:3]),
    },
    "leverage": {"a": L(lev_a), "scores": L(lev)},
}
print(json.dumps(out))
